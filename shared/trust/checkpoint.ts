/**
 * A checkpoint of the custody log (c2sp.org/tlog-checkpoint): the log's origin, its size, its
 * root, and the time the server signed it, as a signed note by the organisation key:
 *
 *   reclaim.custody/<organisation id>
 *   <size>
 *   <root, base64>
 *   time <ISO-8601 UTC>
 *
 *   — reclaim.org/<fingerprint prefix> <signature>
 */
import type { CustodySubtleCrypto } from '../custody/crypto-port';
import { UtcTime } from './log-leaf';
import { HASH_BYTES, type Hash } from './merkle-log';
import { NoteError, openNoteSignedBy, signNote, type NoteSigner, type NoteVerifier } from './signed-note';
import { fromBase64, toBase64 } from './strict-bytes';

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Hash;
  readonly time: string;
}

export function custodyLogOrigin(organisationId: string): string {
  return `reclaim.custody/${organisationId}`;
}

export function checkpointText(checkpoint: Checkpoint): string {
  return `${checkpoint.origin}\n${checkpoint.size}\n${toBase64(checkpoint.root)}\ntime ${checkpoint.time}\n`;
}

export function parseCheckpointText(text: string): Checkpoint {
  const match = /^(reclaim\.custody\/[0-9a-f-]{36})\n(0|[1-9][0-9]{0,15})\n([A-Za-z0-9+/=]{44})\ntime (\S+)\n$/.exec(text);
  if (!match) throw new NoteError('the checkpoint does not follow its grammar (origin, size, root, time)');
  const [, origin = '', size = '', root = '', time = ''] = match;
  const rootBytes = fromBase64(root, 'the checkpoint root');
  if (rootBytes.length !== HASH_BYTES) throw new NoteError('the checkpoint root is not a SHA-256 hash');
  if (!UtcTime.safeParse(time).success) throw new NoteError('the checkpoint time is not an ISO-8601 time');
  return { origin, size: Number(size), root: rootBytes, time };
}

export function signCheckpoint(checkpoint: Checkpoint, signer: NoteSigner): Promise<string> {
  return signNote(checkpointText(checkpoint), [signer]);
}

/** Reads a checkpoint signed by one of the given keys, for the expected log. */
export async function openCheckpoint(subtle: CustodySubtleCrypto, note: string, verifiers: readonly NoteVerifier[], origin: string): Promise<{ checkpoint: Checkpoint; signer: NoteVerifier }> {
  const { text, signer } = await openNoteSignedBy(subtle, note, verifiers, 'the log checkpoint');
  const checkpoint = parseCheckpointText(text);
  if (checkpoint.origin !== origin) throw new NoteError(`the checkpoint is for the log ${checkpoint.origin}, not ${origin}`);
  return { checkpoint, signer };
}
