import { JobNote, JobStatusChange } from '../../shared/domain/job';
import { actorForRole, canTransition, type JobStatus } from '../../shared/domain/job-status';
import { newId } from '../../shared/ids';
import { stampMutation } from './device';
import { idsMatching, jobIdsInWorkOrder, type JobListFilter } from './job-list-query';
import { readJobListOrder, type JobListOrder } from './job-list-order';
import { searchPrefixes } from './search-words';
import { addStatusChanges, statusChangesOf } from './status-change-packs';
import type { SearchWordsMirror } from './search-words-mirror';
import { readMeta, type StoredSession } from './meta';
import { enqueueMutation } from './outbox';
import { InvalidNoteError, JobNotFoundError, NotSignedInError, TransitionNotAllowedError } from './repository-errors';
import type { LocalJob, ReclaimDatabase, RejectedMutation } from './schema';

export type { JobListFilter } from './job-list-query';

export interface LocalJobDetail {
  job: LocalJob;
  statusChanges: JobStatusChange[];
  notes: JobNote[];
  /** Ids of this job's status changes and notes that have not reached the server yet. */
  pendingRecordIds: Set<string>;
  rejected: RejectedMutation[];
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

  /** The ids of the jobs that pass the filter, in work order, from indexes alone (see jobIdsInWorkOrder). */
  listJobIds(filter: JobListFilter = {}): Promise<string[]> {
    return jobIdsInWorkOrder(this.db, filter, this.now());
  }

  /** The list's order from the indexes, its due filters judged for today (see JobListOrder). */
  readListOrder(): Promise<JobListOrder> {
    return readJobListOrder(this.db, this.now());
  }

  /** The ids of jobs with a word starting with every typed word, read from the rows; null when nothing is typed. */
  idsMatching(search: string): Promise<Set<string> | null> {
    return idsMatching(this.db, searchPrefixes(search));
  }

  /** The same search over the words held in memory, which the job list uses (see SearchWordsMirror). */
  get searchWords(): SearchWordsMirror {
    return this.db.searchWords;
  }

  /** The jobs that pass the filter, in work order. */
  async listJobs(filter: JobListFilter = {}): Promise<LocalJob[]> {
    const ids = await this.listJobIds(filter);
    const jobs = await this.db.jobs.bulkGet(ids);
    return jobs.filter((job): job is LocalJob => job !== undefined);
  }

  /** The rows the list has on screen; a job gone meanwhile is `undefined` in its place. */
  getJobs(ids: readonly string[]): Promise<(LocalJob | undefined)[]> {
    return this.db.jobs.bulkGet([...ids]);
  }

  async getJobDetail(id: string): Promise<LocalJobDetail | null> {
    const { db } = this;
    return db.transaction('r', [db.jobs, db.statusChangePacks, db.jobNotes, db.outbox, db.rejectedMutations], async () => {
      const job = await db.jobs.get(id);
      if (!job) return null;
      const [statusChanges, notes, pending, rejected] = await Promise.all([
        statusChangesOf(db, id),
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
    return db.transaction('rw', [db.jobs, db.statusChangePacks, db.outbox, db.meta], async () => {
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
      await addStatusChanges(db, [change]);
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
