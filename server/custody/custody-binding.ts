import type { CustodyEvent } from '../../shared/custody/custody-event';
import type { Job } from '../../shared/domain/job';
import { DISPOSITION_NOTE_PREFIX } from '../../shared/supervise/disposition';
import { defaultMaxDriftMs } from '../../shared/sync/hlc';
import { refused, type DoorAct, type DoorOutcome } from '../visits/door-act';
import { doorRecordsRepository } from '../visits/door-records-repository';
import { custodyRepository } from './custody-repository';

/**
 * The server binds a signed custody event to what it knows before the event enters the chain.
 * A signature proves which key signed; these rules decide whether that key's user could have
 * recorded this event: on this job, for these items, of this kind, at this time. Each refusal
 * says which rule and what to do next; the caller keeps the refused event aside.
 */

/**
 * How far an event's own time may run ahead of the moment the server received it, and how much
 * earlier than its job it may be dated: one honest laptop clock's error, the same limit the
 * hybrid logical clock puts on remote timestamps. Events recorded offline for days are not
 * late: only a time after the server's own, or before the job existed, cannot be true.
 */
export const CUSTODY_CLOCK_TOLERANCE_MS = defaultMaxDriftMs;

const toleranceWords = `${Math.round(CUSTODY_CLOCK_TOLERANCE_MS / 60_000)} minutes`;

/** Dispositions are office acts, made with the disposition form so their rules hold (one per item, a certificate). */
export function officeOnlyKindRefusal(event: CustodyEvent): DoorOutcome | null {
  if (event.kind !== 'disposed' && !event.note.startsWith(DISPOSITION_NOTE_PREFIX)) return null;
  return refused(
    'forbidden',
    "A final disposition is recorded by a supervisor or admin with the disposition form in Supervise, not sent from a laptop; the item's custody was left as it was.",
  );
}

/** An event is dated no earlier than its job (give or take a clock's error) and no later than the server's receipt. */
export function timeRefusal(event: CustodyEvent, job: Job, receivedAt: string): DoorOutcome | null {
  const at = Date.parse(event.at);
  if (at < Date.parse(job.createdAt) - CUSTODY_CLOCK_TOLERANCE_MS) {
    return refused(
      'invalid',
      `The custody event is dated ${event.at}, before job ${job.accountRef} was created (${job.createdAt}), so it cannot be a record of this job. Check the laptop's date and time; the office sees this refusal in the review inbox.`,
    );
  }
  if (at > Date.parse(receivedAt) + CUSTODY_CLOCK_TOLERANCE_MS) {
    return refused(
      'invalid',
      `The custody event is dated ${event.at}, more than ${toleranceWords} after the server received it (${receivedAt}). Set the laptop's date and time right and record it again; the office sees this refusal in the review inbox.`,
    );
  }
  return null;
}

/**
 * Every item an event names is on its job: one of the job's expected items, or an unexpected
 * item recorded at one of its visits. An item's custody trail lives on one job: once it has
 * events on a job, no other job may continue it, and an item another job expects cannot be
 * claimed here as an unexpected find.
 */
export async function itemRefusal(act: DoorAct, event: CustodyEvent, job: Job): Promise<DoorOutcome | null> {
  const itemIds = event.items.map((item) => item.itemId);
  const serialOf = (itemId: string) => event.items.find((item) => item.itemId === itemId)?.serial ?? itemId;
  const elsewhere = await custodyRepository(act.db).itemsTrailedElsewhere(itemIds, job.id);
  const trailed = itemIds.find((itemId) => elsewhere.has(itemId));
  if (trailed !== undefined) {
    return refused(
      'custody_broken',
      `Item ${serialOf(trailed)} already has a custody trail on another job; its custody continues there, never on a second job. If the item is on this job too, tell the office so they can correct the orders.`,
    );
  }
  const expected = new Set(job.items.map((item) => item.id));
  const unlisted = itemIds.filter((itemId) => !expected.has(itemId));
  if (unlisted.length === 0) return null;

  const found = new Set(
    (await doorRecordsRepository(act.db).reconciliations.ofJob(job.id)).flatMap((line) => (line.unexpected !== null ? [line.itemId] : [])),
  );
  const notOnJob = unlisted.find((itemId) => !found.has(itemId));
  if (notOnJob !== undefined) {
    return refused(
      'invalid',
      `Item ${serialOf(notOnJob)} is not on job ${job.accountRef}: a custody record names the job's expected items, or an unexpected item first recorded at one of its visits. Record the item as an unexpected find at the visit, then record its custody again.`,
    );
  }
  for (const itemId of unlisted) {
    if (await expectedOnAnotherJob(act, itemId, job.id)) {
      return refused(
        'invalid',
        `Item ${serialOf(itemId)} is an expected item of another job, so it cannot be recorded here as an unexpected find; its custody is recorded on its own job.`,
      );
    }
  }
  return null;
}

async function expectedOnAnotherJob(act: DoorAct, itemId: string, jobId: string): Promise<boolean> {
  // Expected items live in the job's JSON; an item id is a UUID (no LIKE wildcards), and this
  // scan runs only for unexpected finds, which are rare.
  const row = await act.db
    .selectFrom('jobs')
    .select('id')
    .where('id', '<>', jobId)
    .where('items_json', 'like', `%"id":"${itemId}"%`)
    .executeTakeFirst();
  return row !== undefined;
}

export type HandOver = 'receipt' | 'waiting' | 'none';

/**
 * A hand-over names the receiving user (to.userId of a 'transferred' event); that user may then
 * record their own receipt of those items on the job, though the job is not theirs. Only a
 * 'received' event whose every item continues a transfer to the pusher on this job qualifies.
 * While a named predecessor has not reached the server (the giver is still offline), it waits.
 */
export async function handOverTo(act: DoorAct, event: CustodyEvent): Promise<HandOver> {
  const userId = act.principal.userId;
  if (event.kind !== 'received' || event.to.userId !== userId || event.recordedByUserId !== userId) return 'none';
  const custody = custodyRepository(act.db);
  let waiting = false;
  for (const item of event.items) {
    if (item.previousEventHash === null) return 'none';
    const previous = await custody.eventByHash(item.previousEventHash);
    if (previous === null) {
      waiting = true;
      continue;
    }
    const handedHere = previous.kind === 'transferred' && previous.jobId === event.jobId && previous.to.userId === userId;
    if (!handedHere || !previous.items.some((handed) => handed.itemId === item.itemId)) return 'none';
  }
  return waiting ? 'waiting' : 'receipt';
}
