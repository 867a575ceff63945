import type { Kysely } from 'kysely';
import type { ImportCounts, ImportReport } from '../../shared/dispatch/dispatch-api';
import { clientKey, planImport, type ImportAccount, type ImportPlan } from '../../shared/dispatch/import-plan';
import type { ExpectedItem, Job, JobFields } from '../../shared/domain/job';
import { isTerminal, jobStatusLabels } from '../../shared/domain/job-status';
import { newId } from '../../shared/ids';
import { publishJobWrite } from '../jobs/job-publication';
import { jobsRepository } from '../store/jobs-repository';
import type { Database } from '../store/schema';
import { dispatchAudit, type AuditRecord } from './dispatch-audit';
import { geocodeAll, nominatimGeocoder, type GeocodeAnswer } from './geocoder';
import { writeTransaction } from '../store/change-log';

export interface ImportAct {
  readonly db: Kysely<Database>;
  readonly userId: string;
  readonly at: string;
  readonly geocoderUrl: string | undefined;
}

type Coordinates = { lat: number; lon: number } | null;

/** Matching is by client + account reference, so a lessor's corrected file updates its jobs. */
async function existingJobs(db: Kysely<Database>, plan: ImportPlan): Promise<{ clientIds: Map<string, string>; jobs: Map<string, Job> }> {
  const clients = await db.selectFrom('clients').select(['id', 'name']).execute();
  const clientIds = new Map(clients.map((client) => [clientKey(client.name), client.id]));
  const jobs = new Map<string, Job>();
  const repository = jobsRepository(db);
  for (const account of plan.accounts) {
    const clientId = clientIds.get(clientKey(account.clientName));
    if (clientId === undefined) continue;
    const row = await db.selectFrom('jobs').select('id').where('client_id', '=', clientId).where('account_ref', '=', account.accountRef).orderBy('created_at').executeTakeFirst();
    const job = row ? await repository.find(row.id) : undefined;
    if (job) jobs.set(`${clientId}\u0000${account.accountRef}`, job);
  }
  return { clientIds, jobs };
}

/** Items keep their ids across re-imports (matched by serial) because custody events name them. */
function itemsWithIds(account: ImportAccount, existing: Job | undefined): ExpectedItem[] {
  const bySerial = new Map(existing?.items.map((item) => [item.serial.toUpperCase(), item.id]) ?? []);
  return account.items.map((item) => ({ id: bySerial.get(item.serial.toUpperCase()) ?? newId(), ...item }));
}

function sameOfficeFields(a: JobFields, b: JobFields): boolean {
  const pick = (job: JobFields) => JSON.stringify([job.clientId, job.customer, job.address, job.timeZone, job.dueDate, job.priority, job.appointment, job.instructions, job.items]);
  return pick(a) === pick(b);
}

function pinNote(answer: GeocodeAnswer | undefined, geocoderSet: boolean, dryRun: boolean): string | null {
  if (!geocoderSet) return 'needs a pin: no coordinates and no geocoder is set; place it on the map';
  if (dryRun) return 'no coordinates: will be geocoded on import';
  if (answer?.kind === 'no-match') return 'needs a pin: the geocoder found no match for the address';
  if (answer?.kind === 'unreachable') return `needs a pin: the geocoder could not be reached (${answer.reason})`;
  return null;
}

/**
 * Runs an import: plan every row, geocode what lacks coordinates (real imports only), then
 * create or update one job per good account in one transaction. A dry run answers the same
 * report without writing, so the preview shows exactly what the import will do.
 */
export async function importJobs(act: ImportAct, text: string, dryRun: boolean): Promise<ImportReport> {
  const plan = planImport(text);
  const counts: ImportCounts = {
    rows: plan.rows.length,
    goodRows: plan.rows.filter((row) => row.outcome === 'ok').length,
    badRows: plan.rows.filter((row) => row.outcome === 'error').length,
    accounts: plan.accounts.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    needsPin: 0,
  };
  const report = (): ImportReport => ({ dryRun, fileProblems: [...plan.fileProblems], counts, rows: plan.rows });
  if (plan.fileProblems.length > 0 || plan.accounts.length === 0) return report();

  const before = await existingJobs(act.db, plan);
  const existingOf = (account: ImportAccount) => {
    const clientId = before.clientIds.get(clientKey(account.clientName));
    return clientId === undefined ? undefined : before.jobs.get(`${clientId}\u0000${account.accountRef}`);
  };
  // A pin placed by hand or found earlier is kept when the file still has no coordinates.
  const known = plan.accounts.map((account): Coordinates => {
    const { lat, lon } = account.fields.address;
    if (lat !== null && lon !== null) return { lat, lon };
    const previous = existingOf(account)?.address;
    return previous && previous.lat !== null && previous.lon !== null ? { lat: previous.lat, lon: previous.lon } : null;
  });
  const toGeocode = plan.accounts.map((_, index) => index).filter((index) => known[index] === null);
  const answers = new Map<number, GeocodeAnswer>();
  if (!dryRun && act.geocoderUrl && toGeocode.length > 0) {
    const found = await geocodeAll(nominatimGeocoder(act.geocoderUrl), toGeocode.map((index) => plan.accounts[index]?.fields.address).filter((a) => a !== undefined));
    toGeocode.forEach((accountIndex, i) => {
      const answer = found[i];
      if (!answer) return;
      answers.set(accountIndex, answer);
      if (answer.kind === 'found') known[accountIndex] = { lat: answer.lat, lon: answer.lon };
    });
  }

  const write = async (db: Kysely<Database>) => {
    const jobs = jobsRepository(db);
    const audit: AuditRecord[] = [];
    for (const [index, account] of plan.accounts.entries()) {
      const notes: string[] = [];
      const coordinates = known[index] ?? null;
      if (coordinates === null) {
        const note = pinNote(answers.get(index), act.geocoderUrl !== undefined, dryRun);
        if (note) notes.push(note);
        if (!dryRun || !act.geocoderUrl) counts.needsPin += 1;
      } else if (answers.get(index)?.kind === 'found') notes.push('geocoded');

      const existing = existingOf(account);
      let clientId = before.clientIds.get(clientKey(account.clientName));
      if (clientId === undefined) {
        clientId = newId();
        before.clientIds.set(clientKey(account.clientName), clientId);
        if (!dryRun) await db.insertInto('clients').values({ id: clientId, name: account.clientName }).execute();
      }
      const fields: JobFields = {
        ...account.fields,
        address: { ...account.fields.address, lat: coordinates?.lat ?? null, lon: coordinates?.lon ?? null },
        clientId,
        clientName: existing?.clientName ?? account.clientName,
        accountRef: account.accountRef,
        items: itemsWithIds(account, existing),
      };

      if (!existing) {
        counts.created += 1;
        notes.push('new job');
        const job: Job = { ...fields, id: newId(), status: 'unassigned', assignedAgentId: null, reviewReason: null, createdAt: act.at, updatedAt: act.at, version: 1 };
        if (!dryRun) {
          await jobs.insert(job);
          await publishJobWrite(db, { job, previousAgentId: null, jobRowChanged: true });
          audit.push({ at: act.at, userId: act.userId, action: 'job.imported', jobId: job.id, detail: { rows: account.rowIndexes.map((i) => plan.rows[i]?.row) } });
        }
      } else if (sameOfficeFields(existing, fields)) {
        counts.unchanged += 1;
        notes.push('unchanged');
      } else if (isTerminal(existing.status)) {
        counts.unchanged += 1;
        notes.push(`not updated: the job is ${jobStatusLabels[existing.status].toLowerCase()}`);
      } else {
        counts.updated += 1;
        notes.push('updates the existing job');
        const job: Job = { ...existing, ...fields, updatedAt: act.at, version: existing.version + 1 };
        if (!dryRun) {
          await jobs.save(job);
          await publishJobWrite(db, { job, previousAgentId: existing.assignedAgentId, jobRowChanged: true });
          audit.push({ at: act.at, userId: act.userId, action: 'job.reimported', jobId: job.id, detail: { version: job.version } });
        }
      }
      for (const rowIndex of account.rowIndexes) plan.rows[rowIndex]?.notes.push(...notes);
    }
    if (!dryRun) {
      audit.push({ at: act.at, userId: act.userId, action: 'jobs.import', jobId: null, detail: { ...counts } });
      await dispatchAudit(db).record(audit);
    }
  };
  if (dryRun) await write(act.db);
  else await writeTransaction(act.db, write);
  return report();
}
