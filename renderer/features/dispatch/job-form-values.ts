import type { CreateJobRequest, PatchJobRequest } from '../../../shared/api/jobs';
import { clientKey, planRows } from '../../../shared/dispatch/import-plan';
import { emptyRow, type ImportColumn, type ImportRow } from '../../../shared/dispatch/import-columns';
import type { ClientSummary } from '../../../shared/api/job-query';
import type { Job } from '../../../shared/domain/job';
import { newId } from '../../../shared/ids';

export type AccountValues = Record<Exclude<ImportColumn, `item_${string}`>, string>;
export type ItemValues = Record<Extract<ImportColumn, `item_${string}`>, string> & { id: string | null };

export function blankItem(): ItemValues {
  return { id: null, item_type: 'modem', item_make: '', item_model: '', item_serial: '', item_asset_tag: '' };
}

export function blankAccount(): AccountValues {
  const { item_type: _t, item_make: _m, item_model: _o, item_serial: _s, item_asset_tag: _a, ...account } = emptyRow();
  return { ...account, country: 'US', time_zone: 'America/Chicago', priority: 'normal' };
}

/** A job as the form's text fields: the same columns as an import row. */
export function valuesOfJob(job: Job): { account: AccountValues; items: ItemValues[] } {
  return {
    account: {
      client: job.clientName,
      account_ref: job.accountRef,
      customer_name: job.customer.name,
      phones: job.customer.phones.join('; '),
      email: job.customer.email ?? '',
      address_line1: job.address.line1,
      address_line2: job.address.line2 ?? '',
      city: job.address.city,
      region: job.address.region,
      postal_code: job.address.postalCode,
      country: job.address.country,
      lat: job.address.lat === null ? '' : String(job.address.lat),
      lon: job.address.lon === null ? '' : String(job.address.lon),
      time_zone: job.timeZone,
      due_date: job.dueDate ?? '',
      priority: job.priority,
      appointment_start: job.appointment?.start ?? '',
      appointment_end: job.appointment?.end ?? '',
      instructions: job.instructions ?? '',
    },
    items: job.items.map((item) => ({ id: item.id, item_type: item.type, item_make: item.make, item_model: item.model, item_serial: item.serial, item_asset_tag: item.assetTag ?? '' })),
  };
}

export type FormCheck =
  | { ok: false; problems: string[] }
  | { ok: true; fields: Omit<CreateJobRequest, 'id' | 'assignedAgentId' | 'clientId'> };

/**
 * Checks the form with the import's own validator (each item is an import row of the same
 * account), so a job typed in and a job imported obey the same rules and the same words.
 */
export function checkJobForm(account: AccountValues, items: readonly ItemValues[]): FormCheck {
  if (items.length === 0) return { ok: false, problems: ['add at least one expected item'] };
  const rows: { line: number; row: ImportRow }[] = items.map((item, index) => ({ line: index + 1, row: { ...account, ...item } }));
  const plan = planRows(rows);
  const problems = [...new Set(plan.rows.flatMap((row) => row.problems.filter((problem) => !problem.startsWith('not imported because')).map((problem) => (items.length > 1 && /serial|equipment|make|model|asset/.test(problem) ? `item ${row.row}: ${problem}` : problem))))];
  const planned = plan.accounts[0];
  if (problems.length > 0 || !planned) return { ok: false, problems };
  return {
    ok: true,
    fields: {
      clientName: planned.clientName,
      accountRef: planned.accountRef,
      ...planned.fields,
      items: planned.items.map((item, index) => ({ id: items[index]?.id ?? newId(), ...item })),
    },
  };
}

/** The known client of that name (as the import matches names), so a typed job never splits a client in two. */
export function clientIdFor(clients: readonly ClientSummary[], clientName: string): string | null {
  return clients.find((client) => clientKey(client.name) === clientKey(clientName))?.id ?? null;
}

export function createRequest(fields: Extract<FormCheck, { ok: true }>['fields'], clients: readonly ClientSummary[]): CreateJobRequest {
  return { ...fields, clientId: clientIdFor(clients, fields.clientName) ?? newId(), assignedAgentId: null };
}

export function patchRequest(fields: Extract<FormCheck, { ok: true }>['fields'], job: Job, clients: readonly ClientSummary[]): PatchJobRequest {
  const clientId = clientIdFor(clients, fields.clientName) ?? newId();
  return { ...fields, clientId, expectedVersion: job.version };
}
