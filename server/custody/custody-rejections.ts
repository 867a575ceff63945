import type { Kysely } from 'kysely';
import { CustodyEvent } from '../../shared/custody/custody-event';
import { newId } from '../../shared/ids';
import { MutationResult, retryableRefusals } from '../../shared/sync/protocol';
import { flagForReview } from '../dispatch/review-inbox';
import type { Database } from '../store/schema';
import type { DoorAct, DoorOutcome } from '../visits/door-act';

/**
 * A custody event refused from the chain is never lost: the signed event is kept aside as it
 * arrived, with who pushed it from which device and the rule that refused it, and its job goes
 * to the dispatcher's review inbox with the reason. (The laptop keeps it too, and shows why.)
 * Refusals that can still resolve (a key, a file or an earlier event on its way) are not final
 * and are not kept; nor is the same event sent again, which is already in the chain.
 */
export async function keepRefusedCustodyEvent(act: DoorAct, event: CustodyEvent, outcome: DoorOutcome): Promise<DoorOutcome> {
  if (outcome.outcome !== 'rejected' || retryableRefusals.has(outcome.code) || (await alreadyInChain(act, event))) return outcome;
  const reason = outcome.reason ?? 'The server refused this custody record.';
  await act.db
    .insertInto('custody_rejections')
    .values({
      id: newId(),
      event_id: event.id,
      job_id: event.jobId,
      event_json: JSON.stringify(event),
      pushed_by_user_id: act.principal.userId,
      device_id: act.principal.deviceId,
      code: outcome.code ?? 'invalid',
      reason,
      at: act.at,
    })
    .execute();
  await flagForReview(act, event.jobId, `A custody record sent by ${act.principal.displayName} was refused and kept aside: ${reason}`);
  return outcome;
}

async function alreadyInChain(act: DoorAct, event: CustodyEvent): Promise<boolean> {
  const row = await act.db.selectFrom('custody_events').select('hash').where('id', '=', event.id).executeTakeFirst();
  return row?.hash === event.hash;
}

/** The refused custody events of a job, oldest first: what the office reads beside the review flag. */
export async function custodyRejectionsOfJob(db: Kysely<Database>, jobId: string) {
  const rows = await db.selectFrom('custody_rejections').selectAll().where('job_id', '=', jobId).orderBy('at').orderBy('id').execute();
  return rows.map((row) => ({
    event: CustodyEvent.parse(JSON.parse(row.event_json)),
    pushedByUserId: row.pushed_by_user_id,
    deviceId: row.device_id,
    code: MutationResult.shape.code.unwrap().parse(row.code),
    reason: row.reason,
    at: row.at,
  }));
}
