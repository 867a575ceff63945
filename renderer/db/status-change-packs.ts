import type { JobStatusChange } from '../../shared/domain/job';
import type { ReclaimDatabase, StatusChangePack } from './schema';

/**
 * Job status changes are stored in packs: one IndexedDB record per write (a pull page's changes,
 * or the one change an agent makes), found by the jobs it names (a multi-entry index). A first
 * sync of 10,000 jobs brings about 13,000 changes; as one record each (and an index entry each)
 * they were about a third of what its pages cost IndexedDB to write, as ~23 packs next to nothing.
 *
 * A change may sit in more than one pack (pulled again after the agent made it, or a page sent
 * twice); the copy in the pack written last is the one that counts, as a put over a row would
 * have left it. Packs are keyed in write order (auto-increment), so that is the highest key.
 */

/** The job's status changes, each once, in id order (the order their own table kept them in). */
export async function statusChangesOf(db: ReclaimDatabase, jobId: string): Promise<JobStatusChange[]> {
  const packs = await db.statusChangePacks.where('jobIds').equals(jobId).toArray();
  return latestCopies(packs, (change) => change.jobId === jobId);
}

/** Every status change held, each once, in id order. */
export async function allStatusChanges(db: ReclaimDatabase): Promise<JobStatusChange[]> {
  return latestCopies(await db.statusChangePacks.toArray(), () => true);
}

function latestCopies(packs: readonly StatusChangePack[], keep: (change: JobStatusChange) => boolean): JobStatusChange[] {
  const byId = new Map<string, JobStatusChange>();
  for (const pack of [...packs].sort((a, b) => (a.id ?? 0) - (b.id ?? 0))) {
    for (const change of pack.changes) if (keep(change)) byId.set(change.id, change);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Stores changes as one pack (one IndexedDB record). Join the transaction that writes what goes with them. */
export async function addStatusChanges(db: ReclaimDatabase, changes: readonly JobStatusChange[]): Promise<void> {
  if (changes.length === 0) return;
  await db.statusChangePacks.add({ jobIds: [...new Set(changes.map((change) => change.jobId))], changes: [...changes] });
}

/** Rewrites the job's packs without the changes `drop` picks; a pack left empty goes. */
async function dropStatusChanges(db: ReclaimDatabase, jobId: string, drop: (change: JobStatusChange) => boolean): Promise<void> {
  const packs = await db.statusChangePacks.where('jobIds').equals(jobId).toArray();
  for (const pack of packs) {
    const changes = pack.changes.filter((change) => !drop(change));
    if (changes.length === pack.changes.length || pack.id === undefined) continue;
    if (changes.length === 0) await db.statusChangePacks.delete(pack.id);
    else await db.statusChangePacks.put({ id: pack.id, jobIds: [...new Set(changes.map((change) => change.jobId))], changes });
  }
}

/** Forgets one status change of a job (every copy of it). */
export function removeStatusChange(db: ReclaimDatabase, jobId: string, changeId: string): Promise<void> {
  return dropStatusChanges(db, jobId, (change) => change.id === changeId);
}

/** Forgets every status change of a job. */
export function removeStatusChangesOfJob(db: ReclaimDatabase, jobId: string): Promise<void> {
  return dropStatusChanges(db, jobId, (change) => change.jobId === jobId);
}
