/**
 * The alarms of the custody log watch, in words for the person at the laptop. The sentence
 * says what the server did and what not to do; the detail (sizes, roots, which check) is for
 * the supervisor and the office, and both signed notes are kept as evidence.
 */
import type { CustodyLogAlarm, StoredCheckpoint } from '../db/trust-records';

export const custodyLogNextStep = 'Do not record custody until your office has checked — tell your supervisor.';

const seenAtFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short' });

export function rewritten(held: StoredCheckpoint, offered: string, detail: string, now: Date): CustodyLogAlarm {
  return {
    reason: 'rewritten',
    message: `The server's custody log no longer contains what it showed this laptop on ${seenAtFormat.format(new Date(held.seenAt))}: its history was rewritten.`,
    nextStep: custodyLogNextStep,
    detail,
    detectedAt: now.toISOString(),
    heldNote: held.note,
    offeredNote: offered,
  };
}

export function untrusted(held: StoredCheckpoint | null, offered: string | null, detail: string, now: Date): CustodyLogAlarm {
  return {
    reason: 'untrusted',
    message: "The server's custody log is not signed by the organisation key this laptop trusts, so it cannot show that history was kept.",
    nextStep: custodyLogNextStep,
    detail,
    detectedAt: now.toISOString(),
    heldNote: held?.note ?? null,
    offeredNote: offered,
  };
}


export function keyReplaced(held: StoredCheckpoint | null, pinnedAt: string, detail: string, now: Date): CustodyLogAlarm {
  return {
    reason: 'untrusted',
    message: `The server now shows an organisation key that does not descend from the one this laptop trusted on ${seenAtFormat.format(new Date(pinnedAt))}, so its custody records cannot be tied to your organisation.`,
    nextStep: custodyLogNextStep,
    detail,
    detectedAt: now.toISOString(),
    heldNote: held?.note ?? null,
    offeredNote: null,
  };
}
