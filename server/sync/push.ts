import type { Kysely } from 'kysely';
import { ClockDriftError, type HybridLogicalClock } from '../../shared/sync/hlc';
import { Mutation, type MutationResult, type PushRequest } from '../../shared/sync/protocol';
import type { Principal } from '../auth/principal';
import { describeZodError } from '../http/problem';
import { appliedMutationsRepository } from '../store/applied-mutations-repository';
import type { Database } from '../store/schema';
import { applyNote, applyStatusChange } from './apply-mutation';

export interface PushAct {
  readonly db: Kysely<Database>;
  readonly principal: Principal;
  readonly at: string;
  readonly clock: HybridLogicalClock;
}

/**
 * Applies one push batch in order, inside the caller's single transaction. Every decision except
 * a clock-drift refusal is remembered by mutation id, so a retry of the same batch changes nothing
 * and gets the same answers: an applied mutation comes back as 'duplicate', a refused one is
 * refused again with the same reason. Clock drift is not remembered because the agent can fix
 * the laptop's clock and push again.
 */
export async function applyPushBatch(act: PushAct, request: PushRequest): Promise<MutationResult[]> {
  const memory = appliedMutationsRepository(act.db);
  const results: MutationResult[] = [];
  for (const raw of request.mutations) {
    const remembered = await memory.find(raw.id);
    if (remembered) {
      results.push(remembered.outcome === 'applied' ? { ...remembered, outcome: 'duplicate' } : remembered);
      continue;
    }
    const result = await decide(act, raw);
    if (result.code !== 'clock_drift') {
      await memory.remember({ result, userId: act.principal.userId, deviceId: request.deviceId, at: act.at });
    }
    results.push(result);
  }
  return results;
}

async function decide(act: PushAct, raw: { id: string }): Promise<MutationResult> {
  const parsed = Mutation.safeParse(raw);
  if (!parsed.success) {
    return { id: raw.id, outcome: 'rejected', code: 'invalid', reason: `The change is not valid: ${describeZodError(parsed.error)}.` };
  }
  const mutation = parsed.data;
  let hlc: string;
  try {
    hlc = act.clock.receive(mutation.hlc);
  } catch (error) {
    if (error instanceof ClockDriftError) return { id: mutation.id, outcome: 'rejected', code: 'clock_drift', reason: error.message };
    return { id: mutation.id, outcome: 'rejected', code: 'invalid', reason: 'The change carries no valid clock timestamp.' };
  }
  const mutationAct = { db: act.db, principal: act.principal, at: act.at, hlc };
  const outcome = mutation.entity === 'jobStatusChange' ? await applyStatusChange(mutationAct, mutation) : await applyNote(mutationAct, mutation);
  return { id: mutation.id, ...outcome };
}
