import type { Kysely } from 'kysely';
import type { CustodyEventKind } from '../../shared/custody/custody-event';
import type { JobStatus } from '../../shared/domain/job-status';
import type { DashboardFigures } from '../../shared/supervise/supervise-api';
import { jobsRepository } from '../store/jobs-repository';
import type { Database } from '../store/schema';
import { parseEvent, userNames } from './custody-search';

const DAY_MS = 86_400_000;
const workedStatuses = new Set<JobStatus>(['attempted', 'partially_recovered', 'recovered', 'closed']);
/** Jobs whose items may still be out there. */
const openStatuses = new Set<JobStatus>(['unassigned', 'assigned', 'en_route', 'on_site', 'attempted', 'partially_recovered', 'on_hold']);
const recoveryKind: CustodyEventKind = 'collected';

/**
 * The supervisor's figures over the last `days`: an item counts as recovered on the day of its
 * first "collected" custody event, credited to the agent who recorded it. Days to recovery run
 * from the job's first assignment (or its creation, for jobs created already assigned).
 */
export async function dashboardFigures(db: Kysely<Database>, now: Date, days: number): Promise<DashboardFigures> {
  const since = new Date(now.getTime() - days * DAY_MS).toISOString();
  const rows = await db.selectFrom('custody_events').select(['job_id', 'data_json', 'at']).where('kind', '=', recoveryKind).where('at', '>=', since).orderBy('at').execute();
  const names = await userNames(db);
  const perDay = new Map<string, number>();
  const perAgent = new Map<string, number>();
  const recoveredAt = new Map<string, { at: string; jobId: string }>();
  for (const row of rows) {
    const event = parseEvent(row.data_json);
    for (const item of event.items) {
      if (recoveredAt.has(item.itemId)) continue;
      recoveredAt.set(item.itemId, { at: event.at, jobId: event.jobId });
      const day = event.at.slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
      perAgent.set(event.recordedByUserId, (perAgent.get(event.recordedByUserId) ?? 0) + 1);
    }
  }
  const recoveriesPerDay = Array.from({ length: days + 1 }, (_, index) => new Date(now.getTime() - (days - index) * DAY_MS).toISOString().slice(0, 10)).map((day) => ({ day, items: perDay.get(day) ?? 0 }));

  const jobRows = await db.selectFrom('jobs').select(['id', 'status']).execute();
  const jobs = await jobsRepository(db).findMany(jobRows.map((row) => row.id));
  let expectedWorked = 0;
  let recoveredWorked = 0;
  const outstanding = new Map<string, number>();
  for (const job of jobs.values()) {
    const recoveredHere = job.items.filter((item) => recoveredAt.has(item.id)).length;
    if (workedStatuses.has(job.status)) {
      expectedWorked += job.items.length;
      recoveredWorked += recoveredHere;
    }
    if (openStatuses.has(job.status)) outstanding.set(job.clientName, (outstanding.get(job.clientName) ?? 0) + job.items.length - recoveredHere);
  }

  const assignments = await db.selectFrom('job_assignments').select(['job_id', 'at']).where('agent_id', 'is not', null).orderBy('at').execute();
  const firstAssigned = new Map<string, string>();
  for (const row of assignments) if (!firstAssigned.has(row.job_id)) firstAssigned.set(row.job_id, row.at);
  const spans: number[] = [];
  for (const { at, jobId } of recoveredAt.values()) {
    const assigned = firstAssigned.get(jobId) ?? jobs.get(jobId)?.createdAt;
    if (assigned && assigned <= at) spans.push((Date.parse(at) - Date.parse(assigned)) / DAY_MS);
  }

  return {
    since,
    recoveriesPerDay,
    recoveriesPerAgent: [...perAgent.entries()].map(([agentId, items]) => ({ agentId, agentName: names.get(agentId) ?? 'unknown', items })).sort((a, b) => b.items - a.items),
    recoveryRate: expectedWorked > 0 ? recoveredWorked / expectedWorked : null,
    outstandingByClient: [...outstanding.entries()].map(([clientName, items]) => ({ clientName, items })).sort((a, b) => b.items - a.items),
    averageDaysAssignmentToRecovery: spans.length > 0 ? Math.round((spans.reduce((sum, value) => sum + value, 0) / spans.length) * 10) / 10 : null,
  };
}
