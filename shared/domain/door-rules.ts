import type { ReconciliationStatus } from './evidence';
import type { VisitOutcome } from './visit';

/**
 * Rules of the trade checked at the door. Each returns null when the action is fine, or the
 * warning in words; the app shows it and records the agent's override, the server re-checks
 * the hard rules (objection) whatever the app did.
 */

/** FDCPA / CFPB Regulation F: contact before 08:00 or after 21:00 local time is presumed inconvenient. */
export const contactHours = { startHour: 8, endHour: 21 } as const;

export interface LocalTime {
  readonly hour: number;
  readonly minute: number;
  readonly text: string;
}

export function localTimeIn(timeZone: string, at: Date): LocalTime {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const hour = Number(parts.find((part) => part.type === 'hour')?.value ?? 'NaN');
  const minute = Number(parts.find((part) => part.type === 'minute')?.value ?? 'NaN');
  return { hour, minute, text: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}` };
}

export function contactHoursWarning(timeZone: string, at: Date): string | null {
  const local = localTimeIn(timeZone, at);
  const minutes = local.hour * 60 + local.minute;
  // 21:00 itself is still allowed; 21:01 is not.
  if (minutes >= contactHours.startHour * 60 && minutes <= contactHours.endHour * 60) return null;
  return `It is ${local.text} at the customer's address (${timeZone}). Contact before 08:00 or after 21:00 local time is presumed inconvenient.`;
}

/** Breach of the peace (UCC 9-609): once the customer objects, nothing is recovered at that visit. */
export function objectionViolation(outcome: VisitOutcome, status: ReconciliationStatus): string | null {
  if (outcome === 'refused_objection' && status === 'recovered') {
    return 'The customer objected at this visit, so no item can be recorded as recovered. Stop and leave; the job goes to the dispatcher.';
  }
  return null;
}

export const defaultStaleAfterMs = 24 * 60 * 60 * 1000;

/** Recovering on an order cancelled since (paid, bankruptcy) is a known harm; warn when unconfirmed for long. */
export function staleOrderWarning(lastConfirmedAt: string | null, now: Date, staleAfterMs: number = defaultStaleAfterMs): string | null {
  const confirmed = lastConfirmedAt === null ? Number.NaN : Date.parse(lastConfirmedAt);
  if (Number.isFinite(confirmed) && now.getTime() - confirmed <= staleAfterMs) return null;
  if (!Number.isFinite(confirmed)) return 'This job has never been confirmed with the server. It may have been cancelled or paid.';
  const hours = Math.floor((now.getTime() - confirmed) / 3_600_000);
  return `This job was last confirmed with the server ${hours} hours ago. It may have been cancelled or paid since.`;
}
