import { useLiveQuery } from 'dexie-react-hooks';
import { readRefusalNote } from '../../../shared/domain/customer-refusal';
import { defaultClientRequirements, effectiveReconciliations, evaluateChecklist, withRefusal, type ChecklistLine, type ClientRequirements } from '../../../shared/domain/client-requirements';
import type { Place } from '../../../shared/domain/visit';
import { localDb } from '../../app/local-database';
import type { CustodyEventRow, ItemReconciliationRow, PhotoRow, SignatureRow, VisitRow } from '../../db/door-tables';
import { getBridge } from '../../platform/bridge';
import { CustodyRecorder } from '../custody/custody-recorder';
import { DoorRepository } from './door-repository';

/** The app's door-work writers; components call these named functions, never Dexie. */
export const doorRepository = new DoorRepository(localDb);
export const custodyRecorder = new CustodyRecorder(localDb);

export interface DoorWork {
  visits: VisitRow[];
  reconciliations: ItemReconciliationRow[];
  /** The latest record per item. */
  effective: ItemReconciliationRow[];
  /** Photos of the job, its items and visits; personal property's photos are kept apart. */
  photos: PhotoRow[];
  signatures: SignatureRow[];
  custodyEvents: CustodyEventRow[];
  checklist: ChecklistLine[];
  /** Sha256s of this job's files still waiting to upload. */
  waitingFiles: Set<string>;
}

const byTime = <T,>(key: (row: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** The job's door work, with the checklist held to `requirements` (the job's client's). */
export function useDoorWork(jobId: string, requirements: ClientRequirements = defaultClientRequirements): DoorWork | undefined {
  return useLiveQuery(async () => {
    const db = localDb;
    const [visits, reconciliations, photos, allSignatures, custodyEvents, propertyEvents] = await Promise.all([
      db.visits.where('jobId').equals(jobId).toArray(),
      db.itemReconciliations.where('jobId').equals(jobId).toArray(),
      // The customer's belongings are not evidence about the equipment: not in its custody events or checklist.
      db.photos.where('jobId').equals(jobId).filter((photo) => photo.subject !== 'personal_property').toArray(),
      db.signatures.where('jobId').equals(jobId).toArray(),
      db.custodyEvents.where('jobId').equals(jobId).toArray(),
      db.personalPropertyEvents.where('jobId').equals(jobId).toArray(),
    ]);
    // A customer signing for belongings handed back is not signing for the equipment.
    const forBelongings = new Set(propertyEvents.flatMap((event) => (event.kind === 'returned' && event.signatureHash ? [event.signatureHash] : [])));
    const signatures = allSignatures.filter((signature) => !forBelongings.has(signature.sha256));
    const hashes = [...photos.map((photo) => photo.sha256), ...signatures.map((signature) => signature.sha256)];
    const files = await db.blobs.bulkGet(hashes);
    const effective = effectiveReconciliations(reconciliations);
    return {
      visits: visits.sort(byTime((visit) => visit.arrivedAt)),
      reconciliations,
      effective,
      photos: photos.sort(byTime((photo) => photo.recordedAt)),
      signatures: signatures.sort(byTime((signature) => signature.signedAt)),
      custodyEvents: custodyEvents.sort(byTime((event) => event.at)),
      // A refusal to sign, once signed into the collection, is the signature line's override.
      checklist: withRefusal(evaluateChecklist(requirements, { reconciliations: effective, photos, signatures }), refusalOf(custodyEvents)),
      waitingFiles: new Set(files.flatMap((row) => (row && row.state !== 'uploaded' ? [row.sha256] : []))),
    };
  }, [jobId, JSON.stringify(requirements)]);
}

function refusalOf(events: readonly { kind: string; note: string }[]) {
  const collection = events.find((event) => event.kind === 'collected');
  return collection ? readRefusalNote(collection.note) : null;
}

/** Where the agent is, when the platform can say within its timeout; null is a normal answer. */
export async function currentPlace(): Promise<Place | null> {
  const position = await getBridge().getCurrentPosition();
  return position.ok ? { lat: position.lat, lon: position.lon, accuracyM: position.accuracyM } : null;
}

export interface StorageInWords {
  usedBytes: number;
  freeBytes: number | null;
  persisted: boolean;
}

/** Asks the browser to keep this origin's data under storage pressure; photos are evidence. */
export async function storageStatus(): Promise<StorageInWords | null> {
  if (!navigator.storage?.estimate) return null;
  const persisted = (await navigator.storage.persisted?.()) || (await navigator.storage.persist?.()) || false;
  const estimate = await navigator.storage.estimate();
  const used = estimate.usage ?? 0;
  return { usedBytes: used, freeBytes: estimate.quota === undefined ? null : Math.max(0, estimate.quota - used), persisted };
}

export function useStorageStatus(): StorageInWords | null | undefined {
  return useLiveQuery(() => storageStatus(), []);
}

export function photoUrl(photo: PhotoRow): string | null {
  return photo.thumbnail ? URL.createObjectURL(photo.thumbnail) : null;
}
