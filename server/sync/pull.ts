import type { Kysely } from 'kysely';
import { scopeOf } from '../../shared/auth/role-matrix';
import type { Change, PullQuery, PullResponse } from '../../shared/sync/protocol';
import type { Principal } from '../auth/principal';
import { clientContactRepository } from '../clients/client-contact-repository';
import { clientRequirementsRepository } from '../clients/client-requirements-repository';
import { changeLog, type Audience } from '../store/change-log';
import { jobHistoryRepository } from '../store/job-history-repository';
import { jobsRepository } from '../store/jobs-repository';
import type { Database } from '../store/schema';
import { doorSnapshots } from '../visits/door-pull';
import { pullStart, readCursor, writeCursor } from './pull-cursor';
import { countRecordsAfter } from './pull-remaining';

/**
 * The changes after the client's cursor, with each record's current snapshot. Read in one
 * transaction so the snapshots agree with each other. A page carries each record once, at its
 * latest log row (see changeLog().readLatestAfter).
 *
 * The cursor says where the client's last page ended and, for a client older than some change
 * kinds, what it skipped (see pull-cursor.ts); a client updated since is sent those too.
 *
 * An agent's log rows were written while the job was theirs; if it has been re-assigned since,
 * its snapshot is someone else's job and is skipped (the removal row that follows tells the
 * laptop to drop it). That keeps the invariant: an agent never receives another agent's job.
 */
export async function pullChanges(
  db: Kysely<Database>,
  principal: Principal,
  query: PullQuery,
  serverTime: string,
  /** The client's declared protocol: change kinds newer than it are not sent. */
  protocolVersion: number,
): Promise<PullResponse> {
  // The route's guard admitted the caller to sync.pull; its scope says whose jobs they receive.
  const audience: Audience = scopeOf('sync.pull', principal.role) === 'all jobs' ? 'office' : { agentId: principal.userId };
  const cursor = await pullStart(db, audience, readCursor(query.cursor), protocolVersion);
  const rows = await changeLog(db).readLatestAfter(audience, cursor, query.limit + 1);
  const page = rows.slice(0, query.limit);
  const hasMore = rows.length > query.limit;

  // Whose each job is decides what an agent is sent; only the jobs sent whole are read whole
  // (a page's status changes and notes name as many other jobs again).
  const repository = jobsRepository(db);
  const assignees = audience === 'office' ? null : await repository.assigneesOf([...new Set(page.map((row) => row.jobId))]);
  const visible = (jobId: string) => assignees === null || assignees.get(jobId) === principal.userId;
  const jobs = await repository.findMany([...new Set(page.filter((row) => row.entity === 'job' && visible(row.entityId)).map((row) => row.entityId))]);
  const history = jobHistoryRepository(db);
  const statusChanges = await history.statusChangesByIds(page.filter((row) => row.entity === 'jobStatusChange').map((row) => row.entityId));
  const notes = await history.notesByIds(page.filter((row) => row.entity === 'jobNote').map((row) => row.entityId));
  const doorChange = await doorSnapshots(db, page, protocolVersion);
  // Each job carries its client's checklist, so the agent's laptop has it at the door offline.
  const clientIds = [...new Set([...jobs.values()].map((job) => job.clientId))];
  const requirements = await clientRequirementsRepository(db).forClients(clientIds);
  const contacts = await clientContactRepository(db).forClients(clientIds);

  const changes: Change[] = [];
  for (const row of page) {
    const seq = String(row.seq);
    if (row.entity === 'jobRemoval') {
      changes.push({ seq, entity: 'jobRemoval', op: 'remove', id: row.jobId });
      continue;
    }
    if (!visible(row.jobId)) continue;
    if (row.entity === 'job') {
      const job = jobs.get(row.entityId);
      const clientRequirements = job ? requirements.get(job.clientId) : undefined;
      const clientContact = job ? contacts.get(job.clientId) : undefined;
      if (job) changes.push({ seq, entity: 'job', op: 'upsert', data: { ...job, ...(clientRequirements ? { clientRequirements } : {}), ...(clientContact ? { clientContact } : {}) } });
    } else if (row.entity === 'jobStatusChange') {
      const change = statusChanges.get(row.entityId);
      if (change) changes.push({ seq, entity: 'jobStatusChange', op: 'upsert', data: change });
    } else if (row.entity === 'jobNote') {
      const note = notes.get(row.entityId);
      if (note) changes.push({ seq, entity: 'jobNote', op: 'upsert', data: note });
    } else {
      const change = doorChange(row, seq);
      if (change) changes.push(change);
    }
  }
  const nextSeq = page.at(-1)?.seq ?? cursor;
  const next = writeCursor(nextSeq, protocolVersion);
  if (query.remaining === undefined) return { changes, cursor: next, hasMore, serverTime };
  const remaining = hasMore ? await countRecordsAfter(db, audience, nextSeq) : 0;
  return { changes, cursor: next, hasMore, serverTime, remaining };
}
