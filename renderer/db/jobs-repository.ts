import { JobNote, JobStatusChange } from '../../shared/domain/job';
import { actorForRole, canTransition, type JobStatus } from '../../shared/domain/job-status';
import { newId } from '../../shared/ids';
import { stampMutation } from './device';
import { matchesDue, type DueFilter } from './job-due';
import { readMeta, type StoredSession } from './meta';
import { enqueueMutation } from './outbox';
import { InvalidNoteError, JobNotFoundError, NotSignedInError, TransitionNotAllowedError } from './repository-errors';
import type { LocalJob, ReclaimDatabase, RejectedMutation } from './schema';
import { matchesSearchPrefixes, searchPrefixes } from './search-words';

export interface JobListFilter {
  search?: string;
  status?: JobStatus | 'all';
  due?: DueFilter;
}

export interface LocalJobDetail {
  job: LocalJob;
  statusChanges: JobStatusChange[];
  notes: JobNote[];
  /** Ids of this job's status changes and notes that have not reached the server yet. */
  pendingRecordIds: Set<string>;
  rejected: RejectedMutation[];
}

const priorityRank = { urgent: 0, high: 1, normal: 2, low: 3 } as const;
// One collator for every comparison: localeCompare sets one up per call, which made sorting
// 2,000 jobs take a visible moment.
const customerNameOrder = new Intl.Collator();

/** Soonest due first (undated last), then the most pressing, then by customer. */
export function byWorkOrder(a: LocalJob, b: LocalJob): number {
  const dueA = a.dueDate ?? '9999-12-31';
  const dueB = b.dueDate ?? '9999-12-31';
  if (dueA !== dueB) return dueA < dueB ? -1 : 1;
  const rank = priorityRank[a.priority] - priorityRank[b.priority];
  return rank !== 0 ? rank : customerNameOrder.compare(a.customer.name, b.customer.name);
}

/**
 * The jobs that pass the search, status and due filters, in the order given. Pure and
 * synchronous, so the job list can filter the jobs it already holds on every key press instead
 * of asking IndexedDB again.
 */
export function filterJobs(jobs: readonly LocalJob[], filter: JobListFilter, now: Date): LocalJob[] {
  const prefixes = searchPrefixes(filter.search ?? '');
  const status = filter.status ?? 'all';
  const due = filter.due ?? 'all';
  return jobs.filter(
    (job) => (status === 'all' || job.status === status) && matchesDue(job, due, now) && matchesSearchPrefixes(job.searchWords, prefixes),
  );
}

async function requireSession(db: ReclaimDatabase): Promise<StoredSession> {
  const session = await readMeta(db, 'session');
  if (!session) throw new NotSignedInError();
  return session;
}

/** The jobs on this device, and the two things an agent records on them for now. */
export class JobsRepository {
  constructor(
    private readonly db: ReclaimDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Search goes through the multi-entry searchWords index, so it stays fast on a full van's worth of jobs. */
  async listJobs(filter: JobListFilter = {}): Promise<LocalJob[]> {
    const { db } = this;
    const [first] = searchPrefixes(filter.search ?? '');
    const status = filter.status ?? 'all';
    let jobs: LocalJob[];
    if (first !== undefined) {
      jobs = await db.jobs.where('searchWords').startsWith(first).distinct().toArray();
    } else if (status !== 'all') {
      jobs = await db.jobs.where('status').equals(status).toArray();
    } else {
      jobs = await db.jobs.toArray();
    }
    return filterJobs(jobs, filter, this.now()).sort(byWorkOrder);
  }

  async getJobDetail(id: string): Promise<LocalJobDetail | null> {
    const { db } = this;
    return db.transaction('r', [db.jobs, db.jobStatusChanges, db.jobNotes, db.outbox, db.rejectedMutations], async () => {
      const job = await db.jobs.get(id);
      if (!job) return null;
      const [statusChanges, notes, pending, rejected] = await Promise.all([
        db.jobStatusChanges.where('jobId').equals(id).toArray(),
        db.jobNotes.where('jobId').equals(id).toArray(),
        db.outbox.where('jobId').equals(id).toArray(),
        db.rejectedMutations.where('jobId').equals(id).toArray(),
      ]);
      return {
        job,
        statusChanges,
        notes,
        pendingRecordIds: new Set(pending.map((entry) => entry.mutation.data.id)),
        rejected,
      };
    });
  }

  /**
   * Moves a job through the state machine. The status change row, the job's new status and
   * the outbox mutation commit in one transaction: either the agent's action is recorded and
   * will sync, or nothing changed.
   */
  async changeJobStatus(jobId: string, to: JobStatus, reason?: string): Promise<JobStatusChange> {
    const { db } = this;
    return db.transaction('rw', [db.jobs, db.jobStatusChanges, db.outbox, db.meta], async () => {
      const session = await requireSession(db);
      const job = await db.jobs.get(jobId);
      if (!job) throw new JobNotFoundError(jobId);
      const actor = actorForRole(session.user.role);
      if (!canTransition(job.status, to, actor)) throw new TransitionNotAllowedError(job.status, to, actor);
      const stamp = await stampMutation(db, () => this.now().getTime());
      const change = JobStatusChange.parse({
        id: newId(),
        jobId,
        from: job.status,
        to,
        at: stamp.clientTime,
        byUserId: session.user.id,
        reason: reason?.trim() ? reason.trim() : null,
      });
      await db.jobStatusChanges.add(change);
      await db.jobs.update(jobId, { status: to });
      await enqueueMutation(db, { ...stamp, id: newId(), entity: 'jobStatusChange', op: 'create', data: change });
      return change;
    });
  }

  async addJobNote(jobId: string, text: string): Promise<JobNote> {
    const { db } = this;
    return db.transaction('rw', [db.jobs, db.jobNotes, db.outbox, db.meta], async () => {
      const session = await requireSession(db);
      if (!(await db.jobs.get(jobId))) throw new JobNotFoundError(jobId);
      const stamp = await stampMutation(db, () => this.now().getTime());
      const parsed = JobNote.safeParse({ id: newId(), jobId, text, at: stamp.clientTime, byUserId: session.user.id });
      if (!parsed.success) throw new InvalidNoteError(parsed.error.issues[0]?.message ?? 'This note cannot be saved.');
      await db.jobNotes.add(parsed.data);
      await enqueueMutation(db, { ...stamp, id: newId(), entity: 'jobNote', op: 'create', data: parsed.data });
      return parsed.data;
    });
  }
}
