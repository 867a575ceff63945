/**
 * The laptop watches the server's custody log, as Certificate Transparency clients watch a log
 * (RFC 9162 section 8.1): it keeps the newest signed checkpoint it has checked, and every newer
 * one must come with a consistency proof that the old log is a prefix of the new. A server that
 * rewrites history, drops an event or shows this laptop a forked log is caught by the laptops
 * that synced with it, whatever its own database now says.
 *
 * Judging needs the network (a proof, perhaps the key history) and WebCrypto, neither of which
 * may run inside a Dexie transaction, so it is split in two: judgeCheckpoint() decides before
 * the pull page's transaction, recordCheckpointVerdict() writes the outcome inside it, with the
 * page's rows and cursor.
 */
import type { CustodySubtleCrypto } from '../../shared/custody/crypto-port';
import { custodyLogOrigin, openCheckpoint, type Checkpoint } from '../../shared/trust/checkpoint';
import { checkTree, sameHash, type Hash } from '../../shared/trust/merkle-log';
import { keyInServiceAt, trustedOrgKeys, type OrgKeyHistory, type TrustedOrgKey } from '../../shared/trust/org-key';
import { fromBase64, toBase64 } from '../../shared/trust/strict-bytes';
import { deleteMeta, readMeta, writeMeta } from '../db/meta';
import type { ReclaimDatabase } from '../db/schema';
import type { CustodyLogAlarm, OrgTrust, StoredCheckpoint } from '../db/trust-records';
import { rewritten, untrusted } from './custody-log-alarm';
import { firstTrust } from './org-trust';
import { SyncError } from './sync-error';

/** What the watch asks the server besides the pull itself. */
export interface CustodyLogApi {
  /** The organisation's current key and every rotation, oldest first. */
  orgKeyHistory(): Promise<OrgKeyHistory>;
  /** An RFC 9162 consistency proof that the log of `from` records is a prefix of the log of `to`. */
  custodyLogConsistency(from: number, to: number): Promise<Hash[]>;
}

export type CheckpointVerdict =
  | { readonly outcome: 'advance'; readonly checkpoint: StoredCheckpoint; readonly held: StoredCheckpoint | null; readonly trust: OrgTrust | null }
  | { readonly outcome: 'unchanged'; readonly held: StoredCheckpoint; readonly trust: OrgTrust | null }
  | { readonly outcome: 'alarm'; readonly alarm: CustodyLogAlarm; readonly held: StoredCheckpoint | null; readonly trust: OrgTrust | null };

export interface CheckpointJudge {
  (note: string): Promise<CheckpointVerdict>;
}

function describe(checkpoint: { size: number; root: string }): string {
  return `${checkpoint.size} record${checkpoint.size === 1 ? '' : 's'}, root ${checkpoint.root}`;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function stored(note: string, checkpoint: Checkpoint, now: Date): StoredCheckpoint {
  return { note, size: checkpoint.size, root: toBase64(checkpoint.root), time: checkpoint.time, seenAt: now.toISOString() };
}

/**
 * What the server refuses on purpose (a 4xx answer: "no such size", "cannot prove") counts as no
 * proof. What the network did (no answer, a cut or garbled body, a 5xx, an expired session) is
 * tried again next round with the page: a flaky connection must never look like a rewritten log.
 */
function isTransient(error: unknown): boolean {
  if (!(error instanceof SyncError)) return false;
  return !(error.kind === 'server' && error.status !== null && error.status >= 400 && error.status < 500);
}

export interface CheckpointJudgeOptions {
  db: ReclaimDatabase;
  api: CustodyLogApi;
  subtle: CustodySubtleCrypto;
  now: () => Date;
}

/**
 * Decides what a pulled checkpoint means for this laptop. Throws only for transport failures
 * (the page is then pulled again next round); every verdict about the log itself is a value.
 */
export function checkpointJudge({ db, api, subtle, now }: CheckpointJudgeOptions): CheckpointJudge {
  async function open(note: string, trust: OrgTrust): Promise<{ checkpoint: Checkpoint } | { problem: string }> {
    let keys: TrustedOrgKey[];
    try {
      keys = await trustedOrgKeys(subtle, trust.pinnedFingerprint, trust.history);
    } catch (error) {
      return { problem: `The organisation's key history does not lead back to the key pinned on ${trust.pinnedAt}: ${reasonOf(error)}` };
    }
    try {
      const { checkpoint, signer } = await openCheckpoint(subtle, note, keys, custodyLogOrigin(trust.organisationId));
      const key = keys.find((candidate) => candidate.name === signer.name);
      // A retired key signing new checkpoints is what a stolen old key would do.
      if (!key || !keyInServiceAt(key, checkpoint.time)) return { problem: `The checkpoint dated ${checkpoint.time} is signed by ${signer.name}, a key that was not in service then.` };
      return { checkpoint };
    } catch (error) {
      return { problem: reasonOf(error) };
    }
  }

  return async (note) => {
    const held = await readMeta(db, 'custodyCheckpoint');
    let trust = await readMeta(db, 'orgTrust');
    // Every page of a pull carries the checkpoint, and while the log does not grow it is the very
    // note this laptop already checked and holds: the same signed bytes say nothing new, and
    // checking the key history and signature again cost a first sync ~100 ms a page.
    if (held && trust && note === held.note) return { outcome: 'unchanged', held, trust: null };
    let newTrust: OrgTrust | null = null;
    if (!trust) {
      // Signed in before this laptop knew about the key (an older app, or the key answer was lost).
      try {
        newTrust = await firstTrust(subtle, await api.orgKeyHistory(), now());
      } catch (error) {
        if (isTransient(error)) throw error;
        return { outcome: 'alarm', alarm: untrusted(held, note, `The server's organisation key history cannot be read: ${reasonOf(error)}`, now()), held, trust: null };
      }
      trust = newTrust;
    }
    let opened = await open(note, trust);
    if ('problem' in opened && !newTrust) {
      // The organisation may have rotated its key since: follow the signed chain from the pin.
      let history: OrgKeyHistory;
      try {
        history = await api.orgKeyHistory();
      } catch (error) {
        if (isTransient(error)) throw error;
        return { outcome: 'alarm', alarm: untrusted(held, note, `${opened.problem} The key history cannot be read: ${reasonOf(error)}`, now()), held, trust: null };
      }
      if (history.organisationId === trust.organisationId && JSON.stringify(history) !== JSON.stringify(trust.history)) {
        const rotated = { ...trust, history };
        const retried = await open(note, rotated);
        if ('checkpoint' in retried) newTrust = rotated;
        opened = 'checkpoint' in retried ? retried : { problem: `${opened.problem} ${retried.problem}` };
      }
    }
    if ('problem' in opened) return { outcome: 'alarm', alarm: untrusted(held, note, opened.problem, now()), held, trust: newTrust };
    const { checkpoint } = opened;
    if (!held) return { outcome: 'advance', checkpoint: stored(note, checkpoint, now()), held, trust: newTrust };

    const heldRoot = fromBase64(held.root, 'the stored checkpoint root');
    const offered = describe({ size: checkpoint.size, root: toBase64(checkpoint.root) });
    if (checkpoint.size < held.size) {
      return { outcome: 'alarm', alarm: rewritten(held, note, `It showed ${describe(held)} (signed ${held.time}); it now shows ${offered} (signed ${checkpoint.time}). A log only grows.`, now()), held, trust: newTrust };
    }
    if (checkpoint.size === held.size) {
      if (sameHash(checkpoint.root, heldRoot)) return { outcome: 'unchanged', held, trust: newTrust };
      return { outcome: 'alarm', alarm: rewritten(held, note, `It showed ${describe(held)} (signed ${held.time}); it now shows the same number of records with root ${toBase64(checkpoint.root)} (signed ${checkpoint.time}).`, now()), held, trust: newTrust };
    }
    // The empty log is a prefix of every log; there is nothing to prove.
    if (held.size === 0) return { outcome: 'advance', checkpoint: stored(note, checkpoint, now()), held, trust: newTrust };
    let proof: Hash[];
    try {
      proof = await api.custodyLogConsistency(held.size, checkpoint.size);
    } catch (error) {
      if (isTransient(error)) throw error;
      return { outcome: 'alarm', alarm: rewritten(held, note, `It showed ${describe(held)}; asked to prove that its log of ${offered} extends it, the server answered: ${reasonOf(error)}`, now()), held, trust: newTrust };
    }
    if (!checkTree(proof, checkpoint.size, checkpoint.root, held.size, heldRoot)) {
      return { outcome: 'alarm', alarm: rewritten(held, note, `It showed ${describe(held)}; the proof that its log of ${offered} extends it does not check out (RFC 9162 consistency proof).`, now()), held, trust: newTrust };
    }
    return { outcome: 'advance', checkpoint: stored(note, checkpoint, now()), held, trust: newTrust };
  };
}

/**
 * Writes a verdict; call inside the pull page's transaction. A checkpoint is replaced only by
 * one that was proven to extend it, and only if no one replaced it meanwhile (another window of
 * the app): otherwise the next page or round judges again.
 */
export async function recordCheckpointVerdict(db: ReclaimDatabase, verdict: CheckpointVerdict): Promise<void> {
  const current = await readMeta(db, 'custodyCheckpoint');
  if ((current?.note ?? null) !== (verdict.held?.note ?? null)) return;
  if (verdict.trust) await writeMeta(db, 'orgTrust', verdict.trust);
  if (verdict.outcome === 'alarm') {
    await writeMeta(db, 'custodyLogAlarm', verdict.alarm);
    return;
  }
  if (verdict.outcome === 'advance') await writeMeta(db, 'custodyCheckpoint', verdict.checkpoint);
  await deleteMeta(db, 'custodyLogAlarm');
}

/** The standing alarm as a typed sync error, or null when the log checks out. */
export async function custodyLogError(db: ReclaimDatabase): Promise<SyncError | null> {
  const alarm = await readMeta(db, 'custodyLogAlarm');
  return alarm ? new SyncError('custody_log', alarm.message, alarm.nextStep) : null;
}
