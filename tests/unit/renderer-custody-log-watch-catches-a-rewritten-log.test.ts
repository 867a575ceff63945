import { webcrypto } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ed25519, type CustodySubtleCrypto } from '../../shared/custody/crypto-port';
import { newId } from '../../shared/ids';
import type { PushResponse } from '../../shared/sync/protocol';
import { custodyLogOrigin, signCheckpoint } from '../../shared/trust/checkpoint';
import { appendToMemoryLog, memoryHashReader, proveTree, treeHash, type Hash } from '../../shared/trust/merkle-log';
import { orgKeyFingerprint, orgKeyInfo, orgKeyName, signOrgKeyRotation, type OrgKeyHistory } from '../../shared/trust/org-key';
import type { NoteSigner } from '../../shared/trust/signed-note';
import { readMeta } from '../../renderer/db/meta';
import type { ReclaimDatabase } from '../../renderer/db/schema';
import { clearUserData } from '../../renderer/db/session-repository';
import type { SyncApi } from '../../renderer/sync/api-client';
import { SyncEngine } from '../../renderer/sync/engine';
import { pinOrganisationKey } from '../../renderer/sync/org-trust';
import { SyncError } from '../../renderer/sync/sync-error';
import { freshDatabase, jobPage, makeJob, signInAs } from './renderer-test-fixtures';

/**
 * A laptop keeps the newest custody log checkpoint it has checked and accepts a newer one only
 * with a consistency proof (RFC 9162 2.1.4) from the organisation's key. Each way a server can
 * rewrite its log — fewer records, another root at the same size, a proof that does not check,
 * a checkpoint signed by another key — raises the alarm and leaves the held checkpoint alone,
 * while the rows of the page still sync.
 */
const subtle = webcrypto.subtle;
let db: ReclaimDatabase;
afterEach(async () => {
  await db.delete();
});

type OrgKey = NoteSigner & { sign(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> };

async function throwawayOrgKey(): Promise<OrgKey> {
  const pair = (await subtle.generateKey(ed25519, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const publicKey = new Uint8Array(await subtle.exportKey('raw', pair.publicKey));
  return { name: orgKeyName(orgKeyFingerprint(publicKey)), publicKey, sign: async (bytes) => new Uint8Array(await subtle.sign(ed25519, pair.privateKey, bytes)) };
}

/** An organisation's custody log held in memory, in the server's storage layout. */
class MemoryLog {
  readonly hashes: Hash[] = [];
  size = 0;

  async append(count: number): Promise<void> {
    const leaves = Array.from({ length: count }, (_, i) => new TextEncoder().encode(`event ${this.size + i} ${newId()}`));
    await appendToMemoryLog(this.hashes, leaves);
    this.size += count;
  }

  root(size = this.size): Promise<Hash> {
    return treeHash(size, memoryHashReader(this.hashes));
  }

  prove(from: number, to: number): Promise<Hash[]> {
    return proveTree(to, from, memoryHashReader(this.hashes));
  }
}

let clock = Date.parse('2026-03-04T09:00:00.000Z');
function nextTime(): string {
  clock += 60_000;
  return new Date(clock).toISOString();
}

/** A scripted server: an organisation with a key, a log, and pull pages that carry its checkpoints. */
async function organisation() {
  const organisationId = newId();
  const key = await throwawayOrgKey();
  const server = {
    organisationId,
    key,
    log: new MemoryLog(),
    history: { organisationId, current: orgKeyInfo(key.publicKey), rotations: [] } as OrgKeyHistory,
    consistencyAsked: [] as [number, number][],
    /** What the server answers for a consistency proof; the honest proof unless a test swaps it. */
    prove: (from: number, to: number): Promise<Hash[]> => server.log.prove(from, to),
    async checkpoint(options: { size?: number; root?: Hash; signer?: NoteSigner; origin?: string } = {}): Promise<string> {
      const size = options.size ?? server.log.size;
      return signCheckpoint(
        { origin: options.origin ?? custodyLogOrigin(organisationId), size, root: options.root ?? (await server.log.root(size)), time: nextTime() },
        options.signer ?? server.key,
      );
    },
  };
  return server;
}
type Organisation = Awaited<ReturnType<typeof organisation>>;

function apiFor(server: Organisation, pages: unknown[]): SyncApi {
  return {
    async push({ mutations }): Promise<PushResponse> {
      return { results: mutations.map((mutation) => ({ id: mutation.id, outcome: 'applied', reason: null, code: null })), serverTime: nextTime() };
    },
    async pull(cursor) {
      return pages.shift() ?? { changes: [], cursor, hasMore: false, serverTime: nextTime() };
    },
    async orgKeyHistory() {
      return server.history;
    },
    async custodyLogConsistency(from, to) {
      server.consistencyAsked.push([from, to]);
      return server.prove(from, to);
    },
  };
}

/** One sync round whose single pull page brings a job and the given checkpoint. */
async function syncWith(server: Organisation, checkpoint: string) {
  const job = makeJob();
  const engine = new SyncEngine({ db, api: apiFor(server, [{ ...jobPage([job]), checkpoint }]), subtle });
  const outcome = await engine.syncOnce().then(
    () => null,
    (error: unknown) => error,
  );
  return { job, outcome };
}

async function laptopHolding(server: Organisation) {
  db = freshDatabase();
  await signInAs(db);
  await pinOrganisationKey(db, { orgKeyHistory: async () => server.history }, subtle);
  await server.log.append(5);
  const first = await server.checkpoint();
  expect((await syncWith(server, first)).outcome).toBeNull();
  const held = await readMeta(db, 'custodyCheckpoint');
  expect(held?.size).toBe(5);
  return first;
}

function expectAlarm(outcome: unknown, reason: 'rewritten' | 'untrusted') {
  expect(outcome).toBeInstanceOf(SyncError);
  expect((outcome as SyncError).kind).toBe('custody_log');
  if (reason === 'rewritten') {
    expect((outcome as SyncError).inWords).toMatch(/^The server's custody log no longer contains what it showed this laptop on \d{1,2} \w+ \d{4}.*: its history was rewritten\. Do not record custody until your office has checked — tell your supervisor\.$/);
  } else {
    expect((outcome as SyncError).inWords).toMatch(/not signed by the organisation key this laptop trusts.*tell your supervisor\./);
  }
}

async function expectHeld(note: string) {
  expect((await readMeta(db, 'custodyCheckpoint'))?.note).toBe(note);
}

describe('the laptop watches the custody log', () => {
  it('stores the first checkpoint it sees, pinning the organisation key on first sight if sign-in could not', async () => {
    const server = await organisation();
    db = freshDatabase();
    await signInAs(db);
    await server.log.append(3);
    const note = await server.checkpoint();

    const { outcome } = await syncWith(server, note);

    expect(outcome).toBeNull();
    await expectHeld(note);
    const trust = await readMeta(db, 'orgTrust');
    expect(trust?.pinnedFingerprint).toBe(server.history.current.fingerprint);
    expect(trust?.organisationId).toBe(server.organisationId);
  });

  it('replaces its checkpoint with a newer one once the consistency proof from its size checks out', async () => {
    const server = await organisation();
    await laptopHolding(server);
    await server.log.append(4);
    const newer = await server.checkpoint();

    const { outcome, job } = await syncWith(server, newer);

    expect(outcome).toBeNull();
    expect(server.consistencyAsked).toEqual([[5, 9]]);
    await expectHeld(newer);
    expect((await readMeta(db, 'custodyCheckpoint'))?.size).toBe(9);
    expect(await db.jobs.get(job.id)).toBeDefined();
    expect(await readMeta(db, 'custodyLogAlarm')).toBeNull();
  });

  it('takes the note it holds, which every page of a pull repeats, as unchanged without checking it again; any other note is checked', async () => {
    const server = await organisation();
    const held = await laptopHolding(server);
    let verifications = 0;
    const counting: CustodySubtleCrypto = {
      digest: (algorithm, data) => subtle.digest(algorithm, data),
      importKey: (format, keyData, algorithm, extractable, usages) => subtle.importKey(format, keyData, algorithm, extractable, usages),
      sign: (algorithm, key, data) => subtle.sign(algorithm, key as webcrypto.CryptoKey, data),
      verify: (algorithm, key, signature, data) => {
        verifications += 1;
        return subtle.verify(algorithm, key as webcrypto.CryptoKey, signature, data);
      },
    };
    const jobs = [makeJob(), makeJob(), makeJob()];
    const pages = jobs.map((job, index) => ({ ...jobPage([job], { cursor: String(100 + index), hasMore: index < jobs.length - 1 }), checkpoint: held }));

    await new SyncEngine({ db, api: apiFor(server, pages), subtle: counting }).syncOnce();

    expect(verifications).toBe(0);
    await expectHeld(held);
    for (const job of jobs) expect(await db.jobs.get(job.id)).toBeDefined();
    expect(await readMeta(db, 'custodyLogAlarm')).toBeNull();

    // The same log signed again (a later time, so other bytes) is a note it has not checked.
    const resigned = await server.checkpoint();
    await new SyncEngine({ db, api: apiFor(server, [{ ...jobPage([makeJob()]), checkpoint: resigned }]), subtle: counting }).syncOnce();
    expect(verifications).toBeGreaterThan(0);
    await expectHeld(held);
    expect(await readMeta(db, 'custodyLogAlarm')).toBeNull();
  });

  it('raises the alarm for another root at the same size, keeps its checkpoint, and still stores the rows', async () => {
    const server = await organisation();
    const held = await laptopHolding(server);
    const forged = new MemoryLog();
    await forged.append(5);
    const cursorBefore = await readMeta(db, 'cursor');

    const { outcome, job } = await syncWith(server, await server.checkpoint({ root: await forged.root() }));

    expectAlarm(outcome, 'rewritten');
    await expectHeld(held);
    expect(await db.jobs.get(job.id)).toBeDefined();
    expect(await readMeta(db, 'cursor')).not.toBe(cursorBefore);
    const alarm = await readMeta(db, 'custodyLogAlarm');
    expect(alarm?.heldNote).toBe(held);
    expect(alarm?.detail).toMatch(/same number of records/);
  });

  it('raises the alarm for a log that shrank', async () => {
    const server = await organisation();
    const held = await laptopHolding(server);

    const { outcome } = await syncWith(server, await server.checkpoint({ size: 4 }));

    expectAlarm(outcome, 'rewritten');
    await expectHeld(held);
    expect((await readMeta(db, 'custodyLogAlarm'))?.detail).toMatch(/5 records.*4 records.*only grows/);
  });

  it('raises the alarm when the consistency proof does not check out', async () => {
    const server = await organisation();
    const held = await laptopHolding(server);
    // The server replaced its history and grew it: the proof it can give is for another past.
    const rewrittenLog = new MemoryLog();
    await rewrittenLog.append(8);
    server.log = rewrittenLog;
    server.prove = (from, to) => rewrittenLog.prove(from, to);

    const { outcome } = await syncWith(server, await server.checkpoint());

    expectAlarm(outcome, 'rewritten');
    expect(server.consistencyAsked).toEqual([[5, 8]]);
    await expectHeld(held);
  });

  it('raises the alarm when the server refuses to prove consistency', async () => {
    const server = await organisation();
    const held = await laptopHolding(server);
    await server.log.append(2);
    server.prove = () => Promise.reject(new SyncError('server', 'The sync server refused the request: from is past the log.', 'Tell the office.', 400));

    const { outcome } = await syncWith(server, await server.checkpoint());

    expectAlarm(outcome, 'rewritten');
    await expectHeld(held);
  });

  it('tries the page again, without an alarm, when the proof is lost or garbled by the network', async () => {
    const server = await organisation();
    const held = await laptopHolding(server);
    await server.log.append(2);
    const cursorBefore = await readMeta(db, 'cursor');
    const faults = [
      new SyncError('offline', "Can't reach the sync server.", 'Try later.'),
      new SyncError('invalid_response', 'The sync server sent an answer this app does not understand (cut short).', 'Try later.'),
      new SyncError('server', 'The sync server had a problem: restarting.', 'Try later.', 503),
    ];
    for (const fault of faults) {
      server.prove = () => Promise.reject(fault);

      const { outcome, job } = await syncWith(server, await server.checkpoint());

      expect((outcome as SyncError).kind).toBe(fault.kind);
      await expectHeld(held);
      expect(await readMeta(db, 'custodyLogAlarm')).toBeNull();
      expect(await readMeta(db, 'cursor')).toBe(cursorBefore);
      expect(await db.jobs.get(job.id)).toBeUndefined();
    }
  });

  it('raises the alarm for a checkpoint signed by another key, or for another log, or with a changed signature', async () => {
    const server = await organisation();
    const held = await laptopHolding(server);
    await server.log.append(1);
    const stranger = await throwawayOrgKey();

    const bySomeoneElse = await syncWith(server, await server.checkpoint({ signer: stranger }));
    expectAlarm(bySomeoneElse.outcome, 'untrusted');
    await expectHeld(held);

    const otherLog = await syncWith(server, await server.checkpoint({ origin: custodyLogOrigin(newId()) }));
    expectAlarm(otherLog.outcome, 'untrusted');
    expect((await readMeta(db, 'custodyLogAlarm'))?.detail).toMatch(/for the log/);

    const genuine = await server.checkpoint();
    const flipped = genuine.replace(/ (\S)(\S+)\n$/u, (_, first: string, rest: string) => ` ${first === 'A' ? 'B' : 'A'}${rest}\n`);
    const changed = await syncWith(server, flipped);
    expectAlarm(changed.outcome, 'untrusted');
    await expectHeld(held);
    expect(server.consistencyAsked).toEqual([]);
  });

  it('keeps the alarm up on later rounds until a checkpoint that extends its own arrives', async () => {
    const server = await organisation();
    const held = await laptopHolding(server);
    await syncWith(server, await server.checkpoint({ size: 3 }));
    const quietRound = await new SyncEngine({ db, api: apiFor(server, []), subtle }).syncOnce().then(
      () => null,
      (error: unknown) => error,
    );
    expectAlarm(quietRound, 'rewritten');
    await expectHeld(held);

    await server.log.append(1);
    const good = await server.checkpoint();
    expect((await syncWith(server, good)).outcome).toBeNull();
    await expectHeld(good);
    expect(await readMeta(db, 'custodyLogAlarm')).toBeNull();
  });

  it('follows a rotation signed by the pinned key, and refuses a key that does not descend from it', async () => {
    const server = await organisation();
    await laptopHolding(server);
    const next = await throwawayOrgKey();
    const rotation = await signOrgKeyRotation({ organisationId: server.organisationId, previous: server.key.publicKey, next: next.publicKey, at: nextTime() }, server.key, next);
    server.history = { organisationId: server.organisationId, current: orgKeyInfo(next.publicKey), rotations: [rotation] };
    server.key = next;
    await server.log.append(2);
    const afterRotation = await server.checkpoint();

    expect((await syncWith(server, afterRotation)).outcome).toBeNull();
    await expectHeld(afterRotation);
    const trust = await readMeta(db, 'orgTrust');
    expect(trust?.history.current.fingerprint).toBe(orgKeyFingerprint(next.publicKey));
    expect(trust?.pinnedFingerprint).not.toBe(trust?.history.current.fingerprint);

    // A server that swaps in an unrelated key, with no rotation signed by the old one.
    const usurper = await throwawayOrgKey();
    server.history = { organisationId: server.organisationId, current: orgKeyInfo(usurper.publicKey), rotations: [] };
    server.key = usurper;
    await server.log.append(1);
    const { outcome } = await syncWith(server, await server.checkpoint());
    expectAlarm(outcome, 'untrusted');
    await expectHeld(afterRotation);
    expect((await readMeta(db, 'orgTrust'))?.history.current.fingerprint).toBe(orgKeyFingerprint(next.publicKey));
  });

  it('at sign-in, keeps the pin and raises the alarm when the server shows an unrelated key', async () => {
    const server = await organisation();
    await laptopHolding(server);
    const usurper = await throwawayOrgKey();
    const swapped: OrgKeyHistory = { organisationId: server.organisationId, current: orgKeyInfo(usurper.publicKey), rotations: [] };

    const outcome = await pinOrganisationKey(db, { orgKeyHistory: async () => swapped }, subtle);

    expect(outcome.outcome).toBe('refused');
    expect((await readMeta(db, 'orgTrust'))?.pinnedFingerprint).toBe(server.history.current.fingerprint);
    const alarm = await readMeta(db, 'custodyLogAlarm');
    expect(alarm?.message).toMatch(/does not descend from the one this laptop trusted/);
    expect(alarm?.detail).toContain(orgKeyFingerprint(usurper.publicKey));
  });

  it('stores the checkpoint in the same transaction as the rows and the cursor', async () => {
    const server = await organisation();
    db = freshDatabase();
    await signInAs(db);
    await pinOrganisationKey(db, { orgKeyHistory: async () => server.history }, subtle);
    await server.log.append(2);
    let crashing = true;
    db.jobs.hook('creating', () => {
      if (crashing) throw new Error('the laptop lost power');
    });

    const { outcome } = await syncWith(server, await server.checkpoint());

    expect(outcome).toBeInstanceOf(SyncError);
    expect(await readMeta(db, 'custodyCheckpoint')).toBeNull();
    expect(await readMeta(db, 'cursor')).toBeNull();
    crashing = false;
    const again = await server.checkpoint();
    expect((await syncWith(server, again)).outcome).toBeNull();
    await expectHeld(again);
  });

  it('forgets the pinned key, the checkpoint and any alarm at sign-out, with the session they belong to', async () => {
    const server = await organisation();
    await laptopHolding(server);
    await syncWith(server, await server.checkpoint({ size: 1 }));
    expect(await readMeta(db, 'custodyLogAlarm')).not.toBeNull();

    await clearUserData(db);

    for (const key of ['orgTrust', 'custodyCheckpoint', 'custodyLogAlarm', 'session'] as const) expect(await readMeta(db, key)).toBeNull();
    expect(await readMeta(db, 'deviceId')).not.toBeNull();
  });
});
