import type { CustodySubtleCrypto } from './crypto-port';
import { CustodyEvent } from './custody-event';
import { checkCustodySeal } from './custody-hash';

export type ChainProblem = 'malformed' | 'hash' | 'signature' | 'unknown_key' | 'chain' | 'correction';

export type ChainVerdict =
  | { readonly intact: true; readonly events: number }
  | { readonly intact: false; readonly index: number; readonly eventId: string | null; readonly problem: ChainProblem; readonly reason: string };

/** The hash of the latest event per item, as far as a chain has been walked. */
export type ChainHeads = ReadonlyMap<string, string>;

/**
 * Whether an event continues each item's chain: every item names the latest event that covered
 * it (or none, for its first). A removed, reordered or forked event breaks this for some item.
 */
export function chainBreak(event: CustodyEvent, heads: ChainHeads, knownEventIds: ReadonlySet<string>): { problem: ChainProblem; reason: string } | null {
  for (const item of event.items) {
    const head = heads.get(item.itemId) ?? null;
    if (item.previousEventHash !== head) {
      const expected = head === null ? 'no earlier event' : `event ${head.slice(0, 12)}…`;
      const named = item.previousEventHash === null ? 'no earlier event' : `event ${item.previousEventHash.slice(0, 12)}…`;
      return { problem: 'chain', reason: `item ${item.serial} should follow ${expected} but names ${named}: an event is missing or out of order` };
    }
  }
  if (event.correctsEventId !== null && !knownEventIds.has(event.correctsEventId)) {
    return { problem: 'correction', reason: 'it corrects an event that is not earlier in this record' };
  }
  return null;
}

/**
 * Verifies a whole custody record in recording order: shape, hash, signature and per-item
 * continuity of every event. Says where it first breaks and why, so a person can act on it.
 */
export async function verifyChain(
  subtle: CustodySubtleCrypto,
  events: readonly unknown[],
  publicKeyOf: (deviceKeyId: string) => string | null,
): Promise<ChainVerdict> {
  const heads = new Map<string, string>();
  const seen = new Set<string>();
  for (const [index, raw] of events.entries()) {
    const parsed = CustodyEvent.safeParse(raw);
    if (!parsed.success) {
      return { intact: false, index, eventId: null, problem: 'malformed', reason: `event ${index + 1} is not a well-formed custody event` };
    }
    const event = parsed.data;
    const broken = (problem: ChainProblem, reason: string): ChainVerdict => ({ intact: false, index, eventId: event.id, problem, reason: `Event ${index + 1} (${event.kind}): ${reason}.` });
    const publicKey = publicKeyOf(event.deviceKeyId);
    if (publicKey === null) return broken('unknown_key', `it was signed by key ${event.deviceKeyId}, which is not registered`);
    const seal = await checkCustodySeal(subtle, event, publicKey);
    if (seal) return broken(seal.kind, seal.reason);
    const link = chainBreak(event, heads, seen);
    if (link) return broken(link.problem, link.reason);
    for (const item of event.items) heads.set(item.itemId, event.hash);
    seen.add(event.id);
  }
  return { intact: true, events: events.length };
}
