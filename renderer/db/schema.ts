import { Dexie, type EntityTable } from 'dexie';
import type { Job, JobNote, JobStatusChange } from '../../shared/domain/job';
import type { JobStatus } from '../../shared/domain/job-status';
import type { Mutation, MutationEntity, MutationResult } from '../../shared/sync/protocol';

/** A job as this device holds it: the server's snapshot plus what only this device knows. */
export interface LocalJob extends Job {
  /** The status in the last snapshot the server sent; `status` may be ahead of it. */
  confirmedStatus: JobStatus;
  /** Server time of the pull that last brought this job: drives the stale-order warning. */
  lastConfirmedAt: string;
  /** Lower-cased words of customer, address, serials, asset tags and account ref. */
  searchWords: string[];
  /** The server took the job out of this user's view while local changes still waited. */
  removedOnServer: boolean;
}

export interface OutboxEntry {
  /** Push order. Auto-incremented, so the order of local writes is the order of pushes. */
  seq?: number;
  /** The mutation id, unique: a retry never enqueues the same change twice. */
  id: string;
  entity: MutationEntity;
  jobId: string;
  mutation: Mutation;
}

export interface RejectedMutation {
  id: string;
  entity: MutationEntity;
  jobId: string;
  mutation: Mutation;
  reason: string;
  code: MutationResult['code'];
  rejectedAt: string;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

export const defaultDatabaseName = 'reclaim';

/**
 * Versions are numbered and append-only: a shipped version() is never edited, a change is a
 * new version with an upgrade, so an agent's unsynced outbox survives every app update.
 */
export class ReclaimDatabase extends Dexie {
  jobs!: EntityTable<LocalJob, 'id'>;
  jobStatusChanges!: EntityTable<JobStatusChange, 'id'>;
  jobNotes!: EntityTable<JobNote, 'id'>;
  outbox!: EntityTable<OutboxEntry, 'seq'>;
  rejectedMutations!: EntityTable<RejectedMutation, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;

  constructor(name: string = defaultDatabaseName) {
    super(name);
    this.version(1).stores({
      jobs: 'id, status, dueDate, assignedAgentId, updatedAt, *searchWords',
      jobStatusChanges: 'id, jobId, at',
      jobNotes: 'id, jobId, at',
      outbox: '++seq, &id, entity, jobId',
      rejectedMutations: 'id, jobId',
      meta: 'key',
    });
  }
}
