import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConsistencyProofAnswer, InclusionProofAnswer, LogCheckpoint } from '../../shared/api/trust';
import { fromHex, toHex } from '../../shared/custody/crypto-port';
import { CustodyEvent } from '../../shared/custody/custody-event';
import { CustodySearchResult } from '../../shared/supervise/supervise-api';
import { PullResponse } from '../../shared/sync/protocol';
import { custodyLogOrigin, openCheckpoint, type Checkpoint } from '../../shared/trust/checkpoint';
import { certificateCovers, checkDeviceCertificate } from '../../shared/trust/device-certificate';
import { LogLeaf, logLeafBytes } from '../../shared/trust/log-leaf';
import { appendToMemoryLog, checkRecord, checkTree, memoryHashReader, recordHash, treeHash, type Hash } from '../../shared/trust/merkle-log';
import type { TrustedOrgKey } from '../../shared/trust/org-key';
import { certificatesFor } from '../../server/trust/device-certificates';
import { subtle } from '../fixtures/custody-chain';
import { startTestServer, type TestServer } from './helpers/server';
import { freshJob, orgKeyHistoryOf, orgKeyOf, pinned, signInOnLaptop, withStore, type Laptop } from './helpers/trust';

/**
 * Every custody event the server accepts is a leaf of its transparency log (RFC 6962), in the
 * same transaction as the event: pushed by a laptop, recorded by the office, or already there
 * when the log was introduced. A signed checkpoint, an inclusion proof and a consistency proof
 * from the server check with the shared verifier, over real HTTP, on SQLite and PostgreSQL.
 */
let server: TestServer;
let agent: Laptop;
let supervisorToken: string;
let keys: TrustedOrgKey[];
let origin: string;
const taken = new Set<string>();

const certificate = {
  performedBy: { name: 'Ana Ruiz', title: 'Technician' },
  media: { type: 'SSD', make: 'Samsung', model: 'PM9A1', serial: 'S4EVNX0N123456' },
  sanitization: { method: 'purge', technique: 'crypto erase', tool: 'Blancco Drive Eraser 7.9', verification: 'full', destination: 'recycler' },
  validatedBy: { name: 'Priya Raman', title: 'Supervisor', date: '2026-11-23' },
};

async function signedCheckpoint(token: string): Promise<{ answer: LogCheckpoint; checkpoint: Checkpoint }> {
  const response = await server.api('/api/v1/custody/log/checkpoint', { token });
  expect(response.status).toBe(200);
  const answer = LogCheckpoint.parse(response.body);
  const { checkpoint } = await openCheckpoint(subtle, answer.checkpoint, keys, origin);
  expect({ size: checkpoint.size, root: toHex(checkpoint.root), time: checkpoint.time }).toEqual({ size: answer.size, root: answer.root, time: answer.time });
  return { answer, checkpoint };
}

async function inclusion(token: string, eventId: string, treeSize?: number) {
  return server.api(`/api/v1/custody/log/inclusion?eventId=${eventId}${treeSize === undefined ? '' : `&treeSize=${treeSize}`}`, { token });
}

/** The log as the database holds it, rebuilt here from its leaves alone. */
async function rebuiltLog(): Promise<{ leaves: LogLeaf[]; stored: Hash[]; storedHex: string[] }> {
  const rows = await withStore(server, async (store) => ({
    leaves: await store.db.selectFrom('custody_log').select(['leaf_index', 'leaf_json']).orderBy('leaf_index').execute(),
    hashes: await store.db.selectFrom('custody_log_hashes').select(['hash_index', 'hash']).orderBy('hash_index').execute(),
  }));
  expect(rows.leaves.map((row) => Number(row.leaf_index))).toEqual(rows.leaves.map((_, i) => i));
  const leaves = rows.leaves.map((row) => LogLeaf.parse(JSON.parse(row.leaf_json)));
  // The stored text is exactly the RFC 8785 form of the leaf: what the log hashed.
  expect(rows.leaves.map((row) => row.leaf_json)).toEqual(leaves.map((leaf) => new TextDecoder().decode(logLeafBytes(leaf))));
  const stored: Hash[] = [];
  await appendToMemoryLog(stored, leaves.map(logLeafBytes));
  return { leaves, stored, storedHex: rows.hashes.map((row) => row.hash) };
}

beforeAll(async () => {
  server = await startTestServer();
  agent = await signInOnLaptop(server, 'agent1');
  supervisorToken = (await server.login('supervisor1')).token;
  keys = await pinned(server, (await orgKeyOf(server)).fingerprint);
  origin = custodyLogOrigin((await orgKeyHistoryOf(server)).organisationId);
});
afterAll(() => server.close());

describe('the custody log', () => {
  it('holds the demo history in the order a verifier walks it, each event by a certified key', async () => {
    const events = await withStore(server, (store) => store.db.selectFrom('custody_events').select(['id', 'hash', 'job_id', 'device_key_id', 'received_at']).orderBy('hlc').orderBy('id').execute());
    expect(events.length).toBeGreaterThan(40);
    const { leaves, stored, storedHex } = await rebuiltLog();
    expect(leaves.map((leaf) => ({ id: leaf.eventId, hash: leaf.eventHash, job_id: leaf.jobId, device_key_id: leaf.deviceKeyId, received_at: leaf.loggedAt }))).toEqual(events);
    expect(storedHex).toEqual(stored.map(toHex));
    const { checkpoint } = await signedCheckpoint(supervisorToken);
    expect(checkpoint.size).toBe(leaves.length);
    expect(toHex(checkpoint.root)).toBe(toHex(await treeHash(leaves.length, memoryHashReader(stored))));

    const keyIds = [...new Set(leaves.map((leaf) => leaf.deviceKeyId))];
    const certificates = await withStore(server, (store) => certificatesFor(store.db, keyIds));
    expect(certificates.map((entry) => entry.certificate.deviceKeyId).sort()).toEqual([...keyIds].sort());
    for (const signed of certificates) expect(await checkDeviceCertificate(subtle, signed, keys)).toBeNull();
    for (const leaf of leaves) {
      const covering = certificates.find((entry) => entry.certificate.deviceKeyId === leaf.deviceKeyId);
      expect(covering && certificateCovers(covering.certificate, leaf.loggedAt), `event ${leaf.eventId} is covered by its key's certificate`).toBe(true);
    }
  });

  it('appends a pushed event, and its inclusion proof checks against a signed checkpoint', async () => {
    const job = await freshJob(agent, taken);
    const item = job.items[0];
    if (!item) throw new Error('the job has an item');
    const sentAt = new Date().toISOString();
    const { event, result } = await agent.record(job, 'collected', [{ itemId: item.id, serial: item.serial, previousEventHash: null }]);
    expect(result).toMatchObject({ outcome: 'applied' });

    const { checkpoint } = await signedCheckpoint(agent.token);
    const answer = await inclusion(agent.token, event.id, checkpoint.size);
    expect(answer.status).toBe(200);
    const proof = InclusionProofAnswer.parse(answer.body);
    expect(proof.leaf).toMatchObject({ eventId: event.id, eventHash: event.hash, jobId: job.id, deviceKeyId: agent.device.key.id });
    expect(proof.leaf.loggedAt >= sentAt && proof.leaf.loggedAt <= checkpoint.time).toBe(true);
    expect(proof.leafIndex).toBe(checkpoint.size - 1);
    const hashes = proof.proof.map(fromHex);
    expect(checkRecord(hashes, checkpoint.size, checkpoint.root, proof.leafIndex, recordHash(logLeafBytes(proof.leaf)))).toBe(true);
    // A leaf that says anything else (here: logged a second later) is not the one in the log.
    const moved = { ...proof.leaf, loggedAt: new Date(Date.parse(proof.leaf.loggedAt) + 1000).toISOString() };
    expect(checkRecord(hashes, checkpoint.size, checkpoint.root, proof.leafIndex, recordHash(logLeafBytes(moved)))).toBe(false);

    // Without a size the proof is against the current log; against a log from before the event there is none.
    expect(InclusionProofAnswer.parse((await inclusion(agent.token, event.id)).body).treeSize).toBeGreaterThanOrEqual(checkpoint.size);
    expect((await inclusion(agent.token, event.id, checkpoint.size - 1)).status).toBe(404);
  });

  it('logs a supervisor’s final disposition, signed by a certified office key', async () => {
    const found = CustodySearchResult.parse((await server.api('/api/v1/custody/search?limit=40', { token: supervisorToken })).body);
    const hit = found.hits.find((candidate) => candidate.lastEventKind !== 'disposed');
    if (!hit) throw new Error('the demo has an item to dispose of');
    const answer = await server.api(`/api/v1/custody/items/${hit.itemId}/disposition`, { token: supervisorToken, json: { disposition: 'destroyed', toName: 'Metro Recycling', certificate } });
    expect(answer.status).toBe(201);
    const event = CustodyEvent.parse(answer.body);
    const { checkpoint } = await signedCheckpoint(supervisorToken);
    const proof = InclusionProofAnswer.parse((await inclusion(supervisorToken, event.id, checkpoint.size)).body);
    expect(proof.leaf).toMatchObject({ eventId: event.id, deviceKeyId: event.deviceKeyId, eventHash: event.hash });
    expect(checkRecord(proof.proof.map(fromHex), checkpoint.size, checkpoint.root, proof.leafIndex, recordHash(logLeafBytes(proof.leaf)))).toBe(true);
    const [office] = await withStore(server, (store) => certificatesFor(store.db, [event.deviceKeyId]));
    expect(office?.certificate).toMatchObject({ deviceId: event.deviceId, userName: 'supervisor1', role: 'supervisor', notAfter: null });
    expect(office && (await checkDeviceCertificate(subtle, office, keys))).toBeNull();
    expect(office && certificateCovers(office.certificate, proof.leaf.loggedAt)).toBe(true);
  });

  it('stays dense, in commit order, with every stored hash right, when pushes race', async () => {
    const before = (await rebuiltLog()).leaves.length;
    const jobs = await Promise.all(Array.from({ length: 6 }, () => freshJob(agent, taken)));
    const results = await Promise.all(
      jobs.map((job) => {
        const item = job.items[0];
        if (!item) throw new Error('the job has an item');
        return agent.record(job, 'collected', [{ itemId: item.id, serial: item.serial, previousEventHash: null }]);
      }),
    );
    for (const { result } of results) expect(result).toMatchObject({ outcome: 'applied' });
    const { leaves, stored, storedHex } = await rebuiltLog();
    expect(leaves).toHaveLength(before + jobs.length);
    expect(new Set(leaves.slice(before).map((leaf) => leaf.eventId))).toEqual(new Set(results.map(({ event }) => event.id)));
    expect(storedHex).toEqual(stored.map(toHex));
  });

  it('gives an agent proofs only for events on their own jobs, and refuses sizes beyond the log', async () => {
    const { leaves } = await rebuiltLog();
    const mine = new Set((await agent.jobs()).map((job) => job.id));
    const others = leaves.find((leaf) => !mine.has(leaf.jobId));
    if (!others) throw new Error('the demo history is on jobs no agent holds');
    expect((await inclusion(agent.token, others.eventId)).status).toBe(404);
    expect((await inclusion(supervisorToken, others.eventId)).status).toBe(200);
    expect((await inclusion(supervisorToken, '01890000-0000-7000-8000-000000000000')).status).toBe(404);
    expect((await inclusion(supervisorToken, others.eventId, leaves.length + 1)).status).toBe(400);
    expect((await server.api(`/api/v1/custody/log/inclusion?eventId=${others.eventId}`)).status).toBe(401);
  });

  it('proves any two sizes consistent, and each proof checks against the roots the log had', async () => {
    const { leaves, stored } = await rebuiltLog();
    const size = leaves.length;
    const reader = memoryHashReader(stored);
    const roots = await Promise.all(Array.from({ length: size + 1 }, (_, n) => treeHash(n, reader)));
    const { checkpoint } = await signedCheckpoint(agent.token);
    expect(checkpoint.size).toBe(size);
    expect(toHex(checkpoint.root)).toBe(toHex(roots[size] as Hash));

    const marks = [1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, size - 1, size].filter((n) => n >= 1 && n <= size);
    const pairs = new Set<string>();
    for (let from = 1; from <= size; from += 1) pairs.add(`${from}:${size}`);
    for (const from of marks) for (const to of marks) if (from <= to) pairs.add(`${from}:${to}`);
    for (const pair of pairs) {
      const [from = 0, to = 0] = pair.split(':').map(Number);
      const answer = await server.api(`/api/v1/custody/log/consistency?from=${from}&to=${to}`, { token: agent.token });
      expect(answer.status).toBe(200);
      const proof = ConsistencyProofAnswer.parse(answer.body).proof.map(fromHex);
      expect(checkTree(proof, to, roots[to] as Hash, from, roots[from] as Hash), `consistency ${from} → ${to}`).toBe(true);
      if (proof.length > 0 && from > 1) expect(checkTree(proof, to, roots[to] as Hash, from, roots[from - 1] as Hash)).toBe(false);
    }
    expect(ConsistencyProofAnswer.parse((await server.api(`/api/v1/custody/log/consistency?from=0&to=${size}`, { token: agent.token })).body).proof).toEqual([]);
    expect((await server.api(`/api/v1/custody/log/consistency?from=${size}&to=${size - 1}`, { token: agent.token })).status).toBe(400);
    expect((await server.api(`/api/v1/custody/log/consistency?from=1&to=${size + 1}`, { token: agent.token })).status).toBe(400);
  });
});

describe('the checkpoint in the sync protocol', () => {
  /** The pull page as protocol 2 laptops parse it: no member they do not know. */
  const V2PullResponse = z.strictObject(PullResponse.omit({ checkpoint: true }).shape);

  it('comes with every pull page for protocol 3, and a laptop can check the log only grew since the one it kept', async () => {
    const kept = (await signedCheckpoint(agent.token)).checkpoint;
    const job = await freshJob(agent, taken);
    const item = job.items[0];
    if (!item) throw new Error('the job has an item');
    expect((await agent.record(job, 'collected', [{ itemId: item.id, serial: item.serial, previousEventHash: null }])).result).toMatchObject({ outcome: 'applied' });

    const page = PullResponse.parse((await server.api('/api/v1/sync/pull?cursor=0&limit=5', { token: agent.token, protocol: '3' })).body);
    if (!page.checkpoint) throw new Error('a protocol 3 pull page carries the checkpoint');
    const { checkpoint } = await openCheckpoint(subtle, page.checkpoint, keys, origin);
    expect(checkpoint.size).toBe(kept.size + 1);
    const answer = await server.api(`/api/v1/custody/log/consistency?from=${kept.size}&to=${checkpoint.size}`, { token: agent.token });
    expect(checkTree(ConsistencyProofAnswer.parse(answer.body).proof.map(fromHex), checkpoint.size, checkpoint.root, kept.size, kept.root)).toBe(true);
  });

  it('is not sent to protocol 1 and 2 laptops, whose pages parse as before', async () => {
    for (const protocol of ['1', '2']) {
      const answer = await server.api('/api/v1/sync/pull?cursor=0&limit=5', { token: agent.token, protocol });
      expect(answer.status).toBe(200);
      expect(answer.body).not.toHaveProperty('checkpoint');
      expect(V2PullResponse.safeParse(answer.body).success).toBe(true);
    }
  });
});
