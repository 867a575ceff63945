import type { Kysely } from 'kysely';
import { ClockDriftError, type HybridLogicalClock } from '../../shared/sync/hlc';
import { Mutation, retryableRefusals, type MutationResult, type PushRequest } from '../../shared/sync/protocol';
import type { Principal } from '../auth/principal';
import { describeZodError } from '../http/problem';
import { appliedMutationsRepository } from '../store/applied-mutations-repository';
import type { Database } from '../store/schema';
import { findUnsafeText } from '../http/unsafe-text';
import { containsNulCharacter } from '../store/text-without-nul';
import { applyDoorMutation } from '../visits/apply-door-mutation';
import type { DoorServices } from '../visits/door-act';
import { applyNotes, applyStatusChange, reviewDoorWork, type NoteToApply } from './apply-mutation';

export interface PushAct {
  readonly db: Kysely<Database>;
  readonly principal: Principal;
  readonly at: string;
  readonly clock: HybridLogicalClock;
  readonly door: DoorServices;
}

/**
 * Applies one push batch in order, inside the caller's single transaction. Every decision except
 * a retryable refusal is remembered by mutation id, so a retry of the same batch changes nothing
 * and gets the same answers: an applied mutation comes back as 'duplicate', a refused one is
 * refused again with the same reason. Retryable refusals (clock drift, a photo not uploaded yet,
 * a custody event whose predecessor has not arrived) are not remembered: the cause can go away.
 */
export async function applyPushBatch(act: PushAct, request: PushRequest): Promise<MutationResult[]> {
  const memory = appliedMutationsRepository(act.db);
  // What was decided before is read for the whole batch in one query, and what this batch decides
  // is written in one insert at its end (same transaction): two round trips a batch instead of two
  // a mutation, which on PostgreSQL was a third of a push's time. An id repeated inside the batch
  // finds its first answer in `known` as a retry would find it in the table.
  const known = await memory.findMany(request.mutations.map((raw) => raw.id));
  const decided: { result: MutationResult; userId: string; deviceId: string; at: string }[] = [];
  const results: MutationResult[] = [];
  const settle = (index: number, result: MutationResult) => {
    results[index] = result;
    if (retryableRefusals.has(result.code)) return;
    decided.push({ result, userId: act.principal.userId, deviceId: request.deviceId, at: act.at });
    known.set(result.id, result);
  };
  // Consecutive notes (most of what laptops push) wait here and are applied together in a few
  // statements (applyNotes); any other mutation first applies the notes before it, so the
  // batch's order holds. So does a repeated id: its first copy is decided before it is looked up.
  let waiting: (NoteToApply & { readonly index: number })[] = [];
  const applyWaitingNotes = async () => {
    if (waiting.length === 0) return;
    const notes = waiting;
    waiting = [];
    const outcomes = await applyNotes(act, notes);
    notes.forEach((note, n) => settle(note.index, { id: note.mutation.id, ...outcomes[n]! }));
  };
  for (const [index, raw] of request.mutations.entries()) {
    if (waiting.some((note) => note.mutation.id === raw.id)) await applyWaitingNotes();
    const remembered = known.get(raw.id);
    if (remembered) {
      results[index] = remembered.outcome === 'applied' ? { ...remembered, outcome: 'duplicate' } : remembered;
      continue;
    }
    const checked = check(act, raw);
    if ('outcome' in checked) {
      settle(index, checked);
    } else if (checked.mutation.entity === 'jobNote') {
      waiting.push({ index, mutation: checked.mutation, hlc: checked.hlc });
    } else {
      await applyWaitingNotes();
      settle(index, { id: checked.mutation.id, ...(await applyOne({ ...act, hlc: checked.hlc }, checked.mutation)) });
    }
  }
  await applyWaitingNotes();
  await memory.rememberMany(decided);
  return results;
}

/** A mutation that passed every check that needs no database, with the server's HLC for it. */
interface Checked {
  readonly mutation: Mutation;
  readonly hlc: string;
}

/** The checks that need no database: shape, text, clock. A refusal here costs this change alone. */
function check(act: PushAct, raw: { id: string }): Checked | MutationResult {
  const parsed = Mutation.safeParse(raw);
  if (!parsed.success) {
    return { id: raw.id, outcome: 'rejected', code: 'invalid', reason: `The change is not valid: ${describeZodError(parsed.error)}.` };
  }
  const mutation = parsed.data;
  // Refused here, before anything is written, so one pasted NUL costs that change alone, not the batch.
  if (containsNulCharacter(mutation)) {
    return { id: mutation.id, outcome: 'rejected', code: 'invalid', reason: 'The change contains the NUL character (U+0000), which cannot be stored. Edit the text and save it again.' };
  }
  // Other control characters and broken Unicode: refused the same way, this change alone.
  const unsafe = findUnsafeText(mutation.data, 'data', true);
  if (unsafe) {
    return { id: mutation.id, outcome: 'rejected', code: 'invalid', reason: `The change's ${unsafe.path} ${unsafe.message}, and save it again.` };
  }
  try {
    return { mutation, hlc: act.clock.receive(mutation.hlc) };
  } catch (error) {
    if (error instanceof ClockDriftError) return { id: mutation.id, outcome: 'rejected', code: 'clock_drift', reason: error.message };
    return { id: mutation.id, outcome: 'rejected', code: 'invalid', reason: 'The change carries no valid clock timestamp.' };
  }
}

async function applyOne(act: PushAct & { readonly hlc: string }, mutation: Exclude<Mutation, { entity: 'jobNote' }>) {
  const mutationAct = { db: act.db, principal: act.principal, at: act.at, hlc: act.hlc };
  if (mutation.entity === 'jobStatusChange') return applyStatusChange(mutationAct, mutation);
  return reviewDoorWork(mutationAct, mutation, await applyDoorMutation({ ...mutationAct, services: act.door }, mutation));
}
