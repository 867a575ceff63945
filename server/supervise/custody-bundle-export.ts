import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import type { CustodyEvent } from '../../shared/custody/custody-event';
import { buildCustodyBundle, type BuiltBundle, type BundleEvidence, type LogProofEntry } from '../../shared/trust/custody-bundle';
import type { DeviceCertificateBody } from '../../shared/trust/device-certificate';
import { signNote } from '../../shared/trust/signed-note';
import type { Principal } from '../auth/principal';
import type { ServerContext } from '../context';
import { custodyLog } from '../trust/custody-log';
import { certificatesFor } from '../trust/device-certificates';
import { evidenceBytes, type CustodyRecordForExport } from './custody-record';

/** A built bundle and what the signed PDF of the same record prints and attaches beside it. */
export interface PreparedCustodyBundle {
  readonly built: BuiltBundle;
  /** The log checkpoint the bundle is cut at (a signed note). */
  readonly checkpoint: string;
  /** When the log accepted each event, by event id. */
  readonly loggedAt: ReadonlyMap<string, string>;
  /** The certificate of each signing key, by device key id. */
  readonly certificates: ReadonlyMap<string, DeviceCertificateBody>;
}

export class CustodyExportError extends Error {
  override readonly name = 'CustodyExportError';
}

/**
 * Assembles a v2 bundle of a record with the shared builder (shared/trust/custody-bundle.ts):
 * a checkpoint of the custody log first, then exactly the record's events that checkpoint
 * covers, in log order, with their leaves and inclusion proofs, the certificates of their keys,
 * the organisation's key history, and a manifest signed by the key in service at the export's
 * time. The order matters: the checkpoint is signed before the manifest, and the key history is
 * read after the signing key, so a rotation in between still leaves a bundle that verifies.
 */
export async function prepareCustodyBundle(context: ServerContext, record: CustodyRecordForExport, exportedBy: Pick<Principal, 'userId' | 'username' | 'displayName' | 'role'>): Promise<PreparedCustodyBundle> {
  const { db } = context.store;
  const log = custodyLog(db);
  const checkpoint = await log.signedCheckpoint(context);
  const proofs = await log.inclusionProofs(
    record.events.map((event) => event.id),
    checkpoint.size,
  );
  // Events the log accepted after the checkpoint belong to the next export; each item's trail
  // is cut at the checkpoint, which is what its signed head says.
  const logged = record.events.flatMap((event) => {
    const proof = proofs.get(event.id);
    return proof ? [{ event, proof }] : [];
  });
  logged.sort((a, b) => a.proof.leafIndex - b.proof.leafIndex);
  const events: CustodyEvent[] = logged.map(({ event }) => event);
  const entries: LogProofEntry[] = logged.map(({ event, proof }) => ({ eventId: event.id, leafIndex: proof.leafIndex, leaf: proof.leaf, proof: proof.proof }));
  const inLog = await log.leaves(record.events.filter((event) => !proofs.has(event.id)).map((event) => event.id));
  const unlogged = record.events.find((event) => !proofs.has(event.id) && !inLog.has(event.id));
  if (unlogged) throw new CustodyExportError(`custody event ${unlogged.id} is in the chain but not in the custody log; the log is incomplete`);

  const certificates = await certificatesFor(db, [...new Set(events.map((event) => event.deviceKeyId))]);
  const evidence: BundleEvidence[] = [];
  for (const hash of [...new Set(events.flatMap((event) => [...event.photoHashes, ...event.signatureHashes]))]) {
    const size = await context.blobs.size(hash);
    // A file the server does not hold (never uploaded) is declared in the manifest, not invented.
    if (size === null) continue;
    evidence.push({
      sha256: hash,
      size,
      read: async () => {
        const bytes = await evidenceBytes(context, hash);
        if (!bytes) throw new CustodyExportError(`evidence ${hash} disappeared from the blob store during the export`);
        return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      },
    });
  }
  const key = await context.orgKey.inUse(db);
  const history = await context.orgKey.history();
  const itemSerials = new Map(record.jobs.flatMap((job) => job.items.map((item) => [item.id, { jobId: job.id, serial: item.serial }] as const)));
  const built = await buildCustodyBundle({
    generatedAt: key.at,
    generatedBy: { userId: exportedBy.userId, name: `${exportedBy.displayName} (${exportedBy.username})`, role: exportedBy.role },
    history,
    jobs: record.jobs.map((job) => ({ id: job.id, accountRef: job.accountRef, timeZone: job.timeZone })),
    items: record.itemIds.flatMap((itemId) => {
      const item = itemSerials.get(itemId);
      return item ? [{ itemId, ...item }] : [];
    }),
    events,
    certificates,
    checkpoint: checkpoint.checkpoint,
    proofs: entries,
    evidence,
    signManifest: (text) => signNote(text, [key.noteSigner]),
    sha256Hex: (bytes) => createHash('sha256').update(bytes).digest('hex'),
  });
  return {
    built,
    checkpoint: checkpoint.checkpoint,
    loggedAt: new Map(entries.map((entry) => [entry.eventId, entry.leaf.loggedAt])),
    certificates: new Map(certificates.map((signed) => [signed.certificate.deviceKeyId, signed.certificate])),
  };
}

/**
 * The zip of a built bundle, pulled by the reader: each file is read (photos from the blob
 * store) only when the consumer asks for more, so one photo at a time is in memory however slow
 * the download. JSON and text are deflated; photos and signatures, already compressed, stored.
 */
export function custodyBundleZip(built: BuiltBundle): Readable {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    const queue: Uint8Array[] = [];
    let failure: Error | null = null;
    const zip = new Zip((error, chunk) => {
      if (error) failure = error;
      else queue.push(chunk);
    });
    const drain = function* () {
      if (failure) throw failure;
      while (queue.length > 0) yield queue.shift() as Uint8Array;
    };
    for (const file of built.files) {
      const entry = file.compress ? new ZipDeflate(file.path, { level: 6 }) : new ZipPassThrough(file.path);
      zip.add(entry);
      entry.push(await file.read(), true);
      yield* drain();
    }
    zip.end();
    yield* drain();
  }
  return Readable.from(chunks(), { objectMode: false });
}
