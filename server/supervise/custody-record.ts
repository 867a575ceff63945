import type { CustodyEvent, DeviceKey } from '../../shared/custody/custody-event';
import type { Job } from '../../shared/domain/job';
import type { RecordVerdict } from '../../shared/supervise/supervise-api';
import type { ServerContext } from '../context';
import { jobsRepository } from '../store/jobs-repository';
import { doorServices } from '../visits/door-services';
import { custodySearch, userNames } from './custody-search';

/** Everything an export shows: the jobs, their events in chain order, keys, names, the verdict. */
export interface CustodyRecordForExport {
  readonly jobs: readonly Job[];
  /** Items the export is about (all of a job's items, or one). */
  readonly itemIds: readonly string[];
  readonly events: readonly CustodyEvent[];
  readonly deviceKeys: readonly DeviceKey[];
  readonly users: ReadonlyMap<string, string>;
  readonly verdict: RecordVerdict;
}

/**
 * An item's record is its job's record: an event may cover several items, and each names the
 * previous event of every item it covers, so only the whole job's chain verifies on its own.
 */
export async function loadCustodyRecord(context: ServerContext, scope: { jobId: string } | { itemId: string }): Promise<CustodyRecordForExport | null> {
  const { db } = context.store;
  const search = custodySearch(db, doorServices(context).subtle);
  let jobId: string;
  let itemIds: string[];
  if ('itemId' in scope) {
    const hit = await search.item(scope.itemId);
    if (!hit) return null;
    jobId = hit.jobId;
    itemIds = [scope.itemId];
  } else {
    jobId = scope.jobId;
    itemIds = await search.itemIdsOfJob(jobId);
  }
  const job = await jobsRepository(db).find(jobId);
  if (!job) return null;
  const record = await search.jobRecord(jobId);
  return { jobs: [job], itemIds, events: record.events, deviceKeys: record.deviceKeys, users: await userNames(db), verdict: record.verdict };
}

/** The bytes of a photo or signature, or null when the blob store does not hold it. */
export async function evidenceBytes(context: Pick<ServerContext, 'blobs'>, sha256: string): Promise<Buffer | null> {
  const store = context.blobs;
  if ((await store.size(sha256)) === null) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of await store.open(sha256)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

