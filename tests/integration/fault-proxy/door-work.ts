import type { CustodyEventKind } from '../../../shared/custody/custody-event';
import type { ReconciliationStatus } from '../../../shared/domain/evidence';
import type { VisitOutcome } from '../../../shared/domain/visit';
import type { LocalJob } from '../../../renderer/db/schema';
import type { FieldLaptop } from './field-laptop';

export type DoorWorkKind = 'visit' | 'itemReconciliation' | 'custodyEvent';

export interface DoorWorkDone {
  readonly kind: DoorWorkKind;
  readonly id: string;
  readonly jobId: string;
}

// No objection and no unsafe site: those flag the job for their own reason, and the fuzzer checks
// that moved-job work is what flags it.
const outcomes: readonly VisitOutcome[] = ['partial', 'nobody_home', 'recovered', 'not_at_address'];
const lineStatuses: readonly ReconciliationStatus[] = ['recovered', 'missing', 'damaged'];
const custodyKinds: readonly CustodyEventKind[] = ['collected', 'transferred', 'received', 'sealed'];

/**
 * One piece of an agent's door work on a job the laptop holds (possibly one the office has just
 * moved, whose removal is waiting for this laptop's outbox): a visit, an item's reconciliation
 * at one of the job's visits, or a signed custody event over one or two of its items.
 *
 * Custody chains: each item's chain is continued only by the laptop that started it
 * (`chainOwners`, item id → laptop name). Two laptops extending one item's chain while both are
 * offline fork it, and the server refuses the later branch for good; that refusal has its own test
 * (custody-chain-is-verified-on-push). Here every event must land.
 */
export async function recordDoorWork(
  laptop: FieldLaptop,
  job: LocalJob,
  random: () => number,
  chainOwners: Map<string, string>,
): Promise<DoorWorkDone | null> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const roll = random();
  const visits = await laptop.db.visits.where('jobId').equals(job.id).toArray();
  if (roll < 0.35 || (roll < 0.65 && visits.length === 0)) {
    const visit = await laptop.door.recordVisit({
      jobId: job.id,
      arrivedAt: new Date(),
      place: { lat: 41.88 + random() / 100, lon: -87.63 - random() / 100, accuracyM: 12 },
      contactName: null,
      contactMethod: 'door',
      outcome: pick(outcomes),
      notes: `fuzz visit by ${laptop.name}`,
      contactHoursOverride: 'The customer asked for this time.',
    });
    return { kind: 'visit', id: visit.id, jobId: job.id };
  }
  if (roll < 0.65) {
    const item = pick(job.items);
    const status = pick(lineStatuses);
    const line = await laptop.door.reconcileItem({
      jobId: job.id,
      visitId: pick(visits).id,
      itemId: item.id,
      status,
      grade: status === 'missing' ? null : pick(['A', 'B', 'C', 'D'] as const),
      serialSeen: status === 'missing' ? null : item.serial,
      serialConfirmedBy: status === 'missing' ? 'not_confirmed' : 'typed',
      staleOrderOverride: 'Confirmed with the office by phone.',
    });
    return { kind: 'itemReconciliation', id: line.id, jobId: job.id };
  }
  const mine = job.items.filter((item) => (chainOwners.get(item.id) ?? laptop.name) === laptop.name);
  if (mine.length === 0) return null;
  const items = mine.filter(() => random() < 0.5).slice(0, 2);
  const chosen = items.length > 0 ? items : [pick(mine)];
  for (const item of chosen) chainOwners.set(item.id, laptop.name);
  const me = laptop.login.user;
  const event = await laptop.custody.record({
    jobId: job.id,
    kind: pick(custodyKinds),
    from: { role: 'customer', name: 'Fuzz Customer', userId: null },
    to: { role: 'agent', name: me.displayName, userId: me.id },
    items: chosen.map((item) => ({ itemId: item.id, serial: item.serial })),
    place: null,
    photoHashes: [],
    signatureHashes: [],
  });
  return { kind: 'custodyEvent', id: event.id, jobId: job.id };
}
