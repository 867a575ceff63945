import { Dexie, type EntityTable } from 'dexie';
import type { Job, JobNote, JobStatusChange } from '../../shared/domain/job';
import type { JobStatus } from '../../shared/domain/job-status';
import type { Mutation, MutationEntity, MutationResult } from '../../shared/sync/protocol';
import type {
  BlobRow,
  CustodyEventRow,
  CustodyHeadRow,
  CustomerReceiptRow,
  DeviceKeyRow,
  ItemReconciliationRow,
  PersonalPropertyEventRow,
  PersonalPropertyRow,
  PhotoRow,
  SignatureRow,
  VisitRow,
} from './door-tables';
import { jobListKey } from './job-list-key';
import { searchWordsForJob } from './search-words';
import { SearchWordsMirror } from './search-words-mirror';

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
  /** The job list's order (jobListKey), indexed alone and after the status. */
  listKey: string;
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

/**
 * Job status changes as stored: several to a record (a pull page's, or the one an agent made),
 * found by the jobs they name. Read and written through status-change-packs.ts only.
 */
export interface StatusChangePack {
  /** Auto-incremented: the order packs were written in, which decides between copies of a change. */
  id?: number;
  /** The jobs the changes belong to, each once: a multi-entry index. */
  jobIds: string[];
  changes: JobStatusChange[];
}

/** A job the server took out of this user's view while its changes still waited (LocalJob.removedOnServer). */
export interface ReleasedJobRow {
  jobId: string;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

/** One agent's plan for one day, as last optimized or rearranged. Times are derived, not stored. */
export interface RoutePlanRow {
  /** `${agentId}:${day}` — one plan per agent and day. */
  id: string;
  agentId: string;
  /** YYYY-MM-DD in `timeZone`. */
  day: string;
  timeZone: string;
  /** The jobs picked for the day, placed or not. */
  jobIds: string[];
  /** Job ids in visiting order: the stops that made it into the plan. */
  order: string[];
  /** Job id → the position (0-based) the agent pinned it to. */
  lockedPositions: Record<string, number>;
  /** Why a picked job did not fit, in words. */
  unplaced: { jobId: string; reason: string }[];
  start: { lat: number; lon: number; label: string };
  optimizedAt: string | null;
  updatedAt: string;
}

/** A map tile kept for offline use. Bytes, not a Blob, so every IndexedDB implementation stores it. */
export interface TileCacheRow {
  /** `${sourceKey}/${z}/${x}/${y}`. */
  key: string;
  sourceKey: string;
  bytes: ArrayBuffer;
  contentType: string;
  size: number;
  lastUsedAt: number;
  /** 1 when saved on purpose ("Save this area"): never evicted to make room. */
  pinned: 0 | 1;
}

/** Running totals per tile source, so eviction and size estimates never scan the tiles. */
export interface TileCacheUsageRow {
  sourceKey: string;
  bytes: number;
  tiles: number;
}

/** A region pack (PMTiles) the agent opened from disk, kept so it is there after a restart. */
export interface RegionPackRow {
  id: string;
  name: string;
  file: Blob;
  addedAt: string;
}

export const defaultDatabaseName = 'reclaim';

/** Status changes per pack when version 9 moves them out of their old table (a pull page's worth). */
const UPGRADE_PACK_SIZE = 1000;

/**
 * Versions are numbered and append-only: a shipped version() is never edited, a change is a
 * new version with an upgrade, so an agent's unsynced outbox survives every app update.
 */
export class ReclaimDatabase extends Dexie {
  jobs!: EntityTable<LocalJob, 'id'>;
  statusChangePacks!: EntityTable<StatusChangePack, 'id'>;
  releasedJobs!: EntityTable<ReleasedJobRow, 'jobId'>;
  jobNotes!: EntityTable<JobNote, 'id'>;
  outbox!: EntityTable<OutboxEntry, 'seq'>;
  rejectedMutations!: EntityTable<RejectedMutation, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;
  routePlans!: EntityTable<RoutePlanRow, 'id'>;
  tileCache!: EntityTable<TileCacheRow, 'key'>;
  tileCacheUsage!: EntityTable<TileCacheUsageRow, 'sourceKey'>;
  regionPacks!: EntityTable<RegionPackRow, 'id'>;
  visits!: EntityTable<VisitRow, 'id'>;
  itemReconciliations!: EntityTable<ItemReconciliationRow, 'id'>;
  photos!: EntityTable<PhotoRow, 'id'>;
  signatures!: EntityTable<SignatureRow, 'id'>;
  custodyEvents!: EntityTable<CustodyEventRow, 'id'>;
  custodyHeads!: EntityTable<CustodyHeadRow, 'itemId'>;
  blobs!: EntityTable<BlobRow, 'sha256'>;
  deviceKeys!: EntityTable<DeviceKeyRow, 'id'>;
  personalProperty!: EntityTable<PersonalPropertyRow, 'id'>;
  personalPropertyEvents!: EntityTable<PersonalPropertyEventRow, 'id'>;
  customerReceipts!: EntityTable<CustomerReceiptRow, 'id'>;
  /** The jobs' search words in memory, kept equal to the table by a middleware (see SearchWordsMirror). */
  readonly searchWords: SearchWordsMirror;

  constructor(name: string = defaultDatabaseName) {
    // Every write is on disk before IndexedDB says it committed. Chromium's default since 121 is
    // "relaxed": a commit is reported once handed to the operating system, so a battery that dies
    // seconds after a photo, a signature or a custody event was saved could take it with it, and
    // nothing else holds it until it syncs. Browsers without the option ignore it.
    super(name, { chromeTransactionDurability: 'strict' });
    this.searchWords = new SearchWordsMirror(this);
    this.use(this.searchWords.middleware);
    this.version(1).stores({
      jobs: 'id, status, dueDate, assignedAgentId, updatedAt, *searchWords',
      jobStatusChanges: 'id, jobId, at',
      jobNotes: 'id, jobId, at',
      outbox: '++seq, &id, entity, jobId',
      rejectedMutations: 'id, jobId',
      meta: 'key',
    });
    // Route planning and the offline map: new tables only, nothing to migrate.
    this.version(2).stores({
      routePlans: 'id, agentId, day',
      tileCache: 'key, sourceKey, [pinned+lastUsedAt]',
      tileCacheUsage: 'sourceKey',
      regionPacks: 'id, addedAt',
    });
    // Work at the door and the custody chain: new tables only, nothing to migrate.
    this.version(3).stores({
      visits: 'id, jobId',
      itemReconciliations: 'id, jobId, visitId, itemId',
      photos: 'id, jobId, sha256',
      signatures: 'id, jobId',
      custodyEvents: 'id, jobId, hash',
      custodyHeads: 'itemId',
      blobs: 'sha256, state',
      deviceKeys: 'id, userId',
    });
    // Personal property found with recovered equipment: new tables only, nothing to migrate.
    this.version(4).stores({
      personalProperty: 'id, jobId, itemId',
      personalPropertyEvents: 'id, jobId, propertyId',
    });
    // The job list reads index ranges in its own order (listKey, [status+listKey]) instead of
    // sorting every job in memory; jobs written before this version get their key here, and
    // their search words without the covered ones (see searchWordsForJob).
    this.version(5)
      .stores({
        jobs: 'id, status, dueDate, assignedAgentId, updatedAt, *searchWords, listKey, [status+listKey]',
      })
      .upgrade((tx) =>
        tx
          .table<LocalJob, string>('jobs')
          .toCollection()
          .modify((job) => {
            job.listKey = jobListKey(job);
            job.searchWords = searchWordsForJob(job);
          }),
      );
    // Receipts left with customers: a new table only, nothing to migrate.
    this.version(6).stores({
      customerReceipts: 'id, jobId, visitId',
    });
    // Indexes no query reads, dropped: each cost every pulled job (or status change, or note) an
    // IndexedDB entry, and a first sync of 10,000 jobs writes them all. Nothing to migrate.
    this.version(7).stores({
      jobs: 'id, *searchWords, listKey, [status+listKey]',
      jobStatusChanges: 'id, jobId',
      jobNotes: 'id, jobId',
    });
    // The words index dropped: the job list searches the words held in memory (SearchWordsMirror),
    // and the index's ~18 entries per job were about half of what a first sync of 10,000 jobs cost
    // IndexedDB to write. The rows keep their searchWords, which the mirror loads. Nothing to migrate.
    this.version(8).stores({
      jobs: 'id, listKey, [status+listKey]',
    });
    // Status changes packed several to a record (see status-change-packs.ts): a first sync of
    // 10,000 jobs wrote ~13,000 of them, a record and an index entry each, now ~23 packs. And the
    // jobs the server took away while their changes waited are listed in a table of their own, so
    // the purge after every round reads that list instead of every job. The upgrade moves each
    // status change into packs and lists the flagged jobs; the old table goes once it has run.
    this.version(9)
      .stores({
        jobStatusChanges: null,
        statusChangePacks: '++id, *jobIds',
        releasedJobs: 'jobId',
      })
      .upgrade(async (tx) => {
        const changes = await tx.table<JobStatusChange, string>('jobStatusChanges').toArray();
        for (let start = 0; start < changes.length; start += UPGRADE_PACK_SIZE) {
          const part = changes.slice(start, start + UPGRADE_PACK_SIZE);
          await tx.table<StatusChangePack, number>('statusChangePacks').add({ jobIds: [...new Set(part.map((change) => change.jobId))], changes: part });
        }
        const released = await tx
          .table<LocalJob, string>('jobs')
          .filter((job) => job.removedOnServer)
          .primaryKeys();
        await tx.table<ReleasedJobRow, string>('releasedJobs').bulkPut(released.map((jobId) => ({ jobId })));
      });
  }
}
