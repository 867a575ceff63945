import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JobList } from '../../shared/api/jobs';
import { Problem } from '../../shared/api/problem';
import { isAction, rolesFor, roleMatrix, scopeOf, type Action } from '../../shared/auth/role-matrix';
import { defaultClientRequirements } from '../../shared/domain/client-requirements';
import { Job } from '../../shared/domain/job';
import { newId } from '../../shared/ids';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/sync/protocol';
import { CustodySearchResult } from '../../shared/supervise/supervise-api';
import { accountRow, accountsCsv } from '../fixtures/dispatch/accounts-csv';
import { signInOnLaptop } from './helpers/custody-pushers';
import { everyPrincipal, principalKinds, principalLabels, roleOf, type PrincipalKind, type Principals } from './helpers/every-principal';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';

/**
 * Issue 14, points 1, 2 and 4: every operation the server publishes, asked by every kind of
 * caller, answers as the role matrix (shared/auth/role-matrix.ts) says, on SQLite and on
 * PostgreSQL; an operation the matrix does not name fails; every refusal is in the audit log.
 * The cells are generated from the OpenAPI document; only the sample requests are written here.
 */

const Operation = z.looseObject({
  operationId: z.string(),
  'x-reclaim-action': z.string().optional(),
  'x-reclaim-public': z.boolean().optional(),
  'x-reclaim-roles': z.record(z.string(), z.string()).optional(),
  security: z.array(z.record(z.string(), z.array(z.string()))),
  parameters: z.array(z.looseObject({ name: z.string(), in: z.string(), required: z.boolean().optional() })),
  requestBody: z.looseObject({ required: z.boolean().optional(), content: z.record(z.string(), z.unknown()) }).optional(),
});
type Operation = z.infer<typeof Operation>;
const Document = z.looseObject({ paths: z.record(z.string(), z.record(z.string(), Operation)) });

/** One job and the records on it that other operations name. */
interface JobSide {
  readonly job: Job;
  readonly itemId: string;
  readonly eventId: string;
  readonly photo: string;
}

interface Fixture {
  readonly own: JobSide;
  readonly other: JobSide;
  /** Jobs are written here, so the agent's own job stays theirs whatever the office does. */
  readonly scratch: Job;
  readonly agentId: string;
  /** A demo item with a custody record and no disposition yet. */
  readonly disposableItemId: string;
  readonly targetUserId: string;
  readonly revokeDeviceId: string;
  readonly releaseDeviceId: string;
  readonly regionName: string;
  readonly upload: { readonly bytes: Uint8Array<ArrayBuffer>; readonly sha256: string };
  readonly template: Job;
}

interface Sample {
  readonly path?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly json?: unknown;
  readonly raw?: { readonly body: string | Uint8Array<ArrayBuffer>; readonly contentType: string };
  /** The request names a job (or a record on one), so "own jobs" reaches it only on the agent's own. */
  readonly namesAJob?: boolean;
}

let made = 0;
const unique = () => `${Date.now().toString(36)}${(made += 1)}`;

function createJobBody(template: Job, agentId: string | null) {
  const { id: _id, status: _status, assignedAgentId: _agent, reviewReason: _review, createdAt: _created, updatedAt: _updated, version: _version, clientRequirements: _requirements, ...fields } = template;
  return { ...fields, accountRef: `MX-${unique()}`, items: fields.items.map((item) => ({ ...item, id: newId(), serial: `MX-${unique()}` })), assignedAgentId: agentId };
}

/** A request valid enough for each operation, keyed by "METHOD path" as the document names it. */
const samples: Record<string, (f: Fixture, side: JobSide) => Sample> = {
  'GET /api/v1/health': () => ({}),
  'GET /api/v1/openapi.json': () => ({}),
  'POST /api/v1/auth/login': () => ({ json: { username: 'agent3', password: 'demo1234' } }),
  'GET /api/v1/auth/me': () => ({}),
  'POST /api/v1/auth/logout': () => ({}),
  'POST /api/v1/auth/refresh': () => ({}),
  'POST /api/v1/auth/logout-all': () => ({}),
  'GET /api/v1/users': () => ({ query: { role: 'agent' } }),
  'GET /api/v1/jobs': () => ({ query: { limit: '5' } }),
  'POST /api/v1/jobs': (f) => ({ json: createJobBody(f.template, null) }),
  'GET /api/v1/jobs/{id}': (_f, side) => ({ path: { id: side.job.id }, namesAJob: true }),
  'PATCH /api/v1/jobs/{id}': (f) => ({ path: { id: f.scratch.id }, json: { priority: 'high' } }),
  'GET /api/v1/people': () => ({}),
  'GET /api/v1/jobs/{id}/custody': (_f, side) => ({ path: { id: side.job.id }, namesAJob: true }),
  'GET /api/v1/jobs/{id}/custody/rejections': (_f, side) => ({ path: { id: side.job.id } }),
  'GET /api/v1/jobs/{id}/personal-property': (_f, side) => ({ path: { id: side.job.id }, namesAJob: true }),
  'GET /api/v1/jobs/{id}/receipts': (_f, side) => ({ path: { id: side.job.id }, namesAJob: true }),
  'POST /api/v1/jobs/import': () => ({ query: { dryRun: 'true' }, raw: { body: accountsCsv([accountRow(1)]), contentType: 'text/csv' } }),
  'POST /api/v1/jobs/assignments': (f) => ({ json: { jobIds: [f.scratch.id], agentId: f.agentId } }),
  'POST /api/v1/jobs/hold-or-cancel': (f) => ({ json: { jobIds: [f.scratch.id], status: 'on_hold', reason: 'the matrix test holds it' } }),
  'GET /api/v1/review-inbox': () => ({}),
  'POST /api/v1/review-inbox/{id}/clear': (f) => ({ path: { id: f.scratch.id }, json: {} }),
  'GET /api/v1/dispatch/audit': () => ({ query: { limit: '5' } }),
  'GET /api/v1/dispatch/map-points': () => ({}),
  'GET /api/v1/dispatch/map-view': () => ({ query: { west: '-88.3', south: '41.5', east: '-87.2', north: '42.3', zoom: '10' } }),
  'GET /api/v1/dispatch/map-agents': () => ({}),
  'GET /api/v1/events': () => ({}),
  'POST /api/v1/sync/push': (_f, side) => {
    const outbox = deviceOutbox('matrix-push');
    return { json: outbox.push([outbox.note(side.job.id, 'a note from the matrix test', side.job.assignedAgentId ?? newId())]) };
  },
  'GET /api/v1/sync/pull': () => ({ query: { cursor: '0', limit: '5' } }),
  'PUT /api/v1/blobs/{sha256}': (f) => ({ path: { sha256: f.upload.sha256 }, raw: { body: f.upload.bytes, contentType: 'application/octet-stream' } }),
  'HEAD /api/v1/blobs/{sha256}': (_f, side) => ({ path: { sha256: side.photo }, namesAJob: true }),
  'GET /api/v1/blobs/{sha256}': (_f, side) => ({ path: { sha256: side.photo }, namesAJob: true }),
  'GET /api/v1/regions': () => ({}),
  'GET /api/v1/regions/{name}': (f) => ({ path: { name: f.regionName } }),
  'GET /api/v1/clients/{id}/requirements': (f) => ({ path: { id: f.own.job.clientId } }),
  'PUT /api/v1/clients/{id}/requirements': (f) => ({ path: { id: f.own.job.clientId }, json: defaultClientRequirements }),
  'GET /api/v1/clients/{id}/contact': (f) => ({ path: { id: f.own.job.clientId } }),
  'PUT /api/v1/clients/{id}/contact': (f) => ({ path: { id: f.own.job.clientId }, json: { phone: '800 555 0100', email: null, address: null } }),
  'GET /api/v1/admin/users': () => ({}),
  'POST /api/v1/admin/users': () => ({ json: { username: `matrix.new.${unique()}`, displayName: 'Made by the matrix test', role: 'agent', password: 'matrix-password-2' } }),
  'PATCH /api/v1/admin/users/{id}': (f) => ({ path: { id: f.targetUserId }, json: { displayName: 'Matrix Target' } }),
  'POST /api/v1/admin/users/{id}/password': (f) => ({ path: { id: f.targetUserId }, json: { password: 'matrix-password-3' } }),
  'GET /api/v1/admin/devices': () => ({}),
  'POST /api/v1/admin/devices/{id}/revoke': (f) => ({ path: { id: f.revokeDeviceId } }),
  'POST /api/v1/admin/devices/{id}/release': (f) => ({ path: { id: f.releaseDeviceId } }),
  'GET /api/v1/custody/search': () => ({ query: { limit: '5' } }),
  'GET /api/v1/custody/items/{itemId}': (_f, side) => ({ path: { itemId: side.itemId } }),
  'POST /api/v1/custody/items/{itemId}/disposition': (f) => ({ path: { itemId: f.disposableItemId }, json: { disposition: 'returned_to_client', toName: 'Client returns dock' } }),
  'GET /api/v1/custody/export/bundle': (_f, side) => ({ query: { jobId: side.job.id } }),
  'GET /api/v1/custody/export/pdf': (_f, side) => ({ query: { jobId: side.job.id } }),
  'GET /api/v1/custody/export/csv': () => ({}),
  'GET /api/v1/audit': () => ({ query: { limit: '5' } }),
  'GET /api/v1/audit/export.csv': () => ({}),
  'GET /api/v1/supervise/dashboard': () => ({}),
  'GET /api/v1/org/signing-key': () => ({}),
  'GET /api/v1/org/signing-key/history': () => ({}),
  'POST /api/v1/org/signing-key/rotate': () => ({}),
  'GET /api/v1/custody/log/checkpoint': () => ({}),
  'GET /api/v1/custody/log/inclusion': (_f, side) => ({ query: { eventId: side.eventId }, namesAJob: true }),
  'GET /api/v1/custody/log/consistency': () => ({ query: { from: '1', to: '2' } }),
};

type Expected =
  | { readonly kind: 'allowed'; readonly within: boolean }
  | { readonly kind: 'refused'; readonly status: 401 | 403 | 404; readonly code: string };

/** What the matrix says a principal gets from an action, given whether the request names a job. */
function expectedAnswer(action: Action, principal: PrincipalKind, namesAJob: boolean): Expected {
  if (roleMatrix[action].anonymous === 'public') return { kind: 'allowed', within: false };
  switch (principal) {
    case 'anonymous':
      return { kind: 'refused', status: 401, code: 'unauthenticated' };
    case 'expiredSession':
      return { kind: 'refused', status: 401, code: 'session_expired' };
    case 'revokedDevice':
      return { kind: 'refused', status: 403, code: 'device_revoked' };
    case 'disabledUser':
      return { kind: 'refused', status: 403, code: 'forbidden' };
    default: {
      const role = roleOf(principal);
      const scope = role === null ? null : scopeOf(action, role);
      if (scope === null) return { kind: 'refused', status: 403, code: 'forbidden' };
      const ownJobs = scope === 'own jobs' && namesAJob;
      if (ownJobs && principal === 'agentOnAnothersJob') return { kind: 'refused', status: 404, code: 'not_found' };
      return { kind: 'allowed', within: ownJobs };
    }
  }
}

function describeExpected(expected: Expected): string {
  if (expected.kind === 'allowed') return expected.within ? 'allowed (not 401, 403, 404 or 5xx)' : 'allowed (not 401, 403 or 5xx)';
  return `${expected.status} ${expected.code}`;
}

interface Answer {
  readonly status: number;
  /** The problem's code; undefined where an answer has no body to read (HEAD, a live stream). */
  readonly code: string | null | undefined;
  readonly cacheControl: string | null;
}

let server: TestServer;
let principals: Principals;
let fixture: Fixture;
let operations: { method: string; path: string; key: string; operation: Operation }[] = [];

async function send(method: string, path: string, operation: Operation, sample: Sample, token: string | undefined): Promise<Answer> {
  const url = new URL(`${server.url}${path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(sample.path?.[name] ?? `missing-${name}`))}`);
  for (const [name, value] of Object.entries(sample.query ?? {})) url.searchParams.set(name, value);
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (operation.parameters.some((parameter) => parameter.in === 'header' && parameter.name === PROTOCOL_HEADER)) headers[PROTOCOL_HEADER] = String(PROTOCOL_VERSION);
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (sample.raw) {
    headers['content-type'] = sample.raw.contentType;
    body = sample.raw.body;
  } else if (sample.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(sample.json);
  }
  const response = await fetch(url, { method, headers, body });
  const type = response.headers.get('content-type') ?? '';
  const cacheControl = response.headers.get('cache-control');
  // A live stream never ends by itself: its status and headers are the answer.
  if (type.includes('text/event-stream') || method === 'HEAD') {
    await response.body?.cancel();
    return { status: response.status, code: undefined, cacheControl };
  }
  const text = await response.text();
  const problem = type.includes('problem+json') ? Problem.safeParse(JSON.parse(text)) : null;
  return { status: response.status, code: problem?.success ? problem.data.code : null, cacheControl };
}

function matches(expected: Expected, answer: Answer): boolean {
  if (expected.kind === 'allowed') {
    if (answer.status === 401 || answer.status === 403 || answer.status >= 500) return false;
    return !(expected.within && answer.status === 404);
  }
  return answer.status === expected.status && (answer.code === undefined || answer.code === expected.code);
}

async function recordCustody(username: string, deviceId: string, job: Job): Promise<JobSide> {
  const laptop = await signInOnLaptop(server, username, deviceId);
  const bytes = randomBytes(256);
  const photo = createHash('sha256').update(bytes).digest('hex');
  const put = await server.api(`/api/v1/blobs/${photo}`, { method: 'PUT', token: laptop.login.token, body: bytes, headers: { 'content-type': 'image/jpeg' } });
  expect(put.status, `${username} uploads a photo`).toBe(201);
  const item = job.items[0];
  if (!item) throw new Error('a job has an item');
  const { event, result } = await laptop.record(job.id, 'collected', [{ itemId: item.id, serial: item.serial, previousEventHash: null }], { photoHashes: [photo] });
  expect(result, `${username}'s collection is accepted`).toMatchObject({ outcome: 'applied' });
  return { job, itemId: item.id, eventId: event.id, photo };
}

beforeAll(async () => {
  server = await startTestServer();
  const admin = (await server.login('admin')).token;
  const dispatcher = (await server.login('dispatcher1')).token;
  const agentDeviceId = 'matrix-agent1-laptop';
  const users = z.object({ users: z.array(z.object({ id: z.string(), username: z.string() })) }).parse((await server.api('/api/v1/users?role=agent', { token: dispatcher })).body).users;
  const agentId = users.find((user) => user.username === 'agent1')?.id ?? '';
  const agent2Id = users.find((user) => user.username === 'agent2')?.id ?? '';
  const template = JobList.parse((await server.api('/api/v1/jobs?limit=1&status=assigned', { token: dispatcher })).body).jobs[0];
  if (!template) throw new Error('the demo has an assigned job');
  async function newJob(agent: string): Promise<Job> {
    const answer = await server.api('/api/v1/jobs', { token: dispatcher, json: createJobBody(template as Job, agent) });
    expect(answer.status).toBe(201);
    return Job.parse(answer.body);
  }
  const [ownJob, otherJob, scratch] = [await newJob(agentId), await newJob(agent2Id), await newJob(agentId)];
  const own = await recordCustody('agent1', agentDeviceId, ownJob);
  const other = await recordCustody('agent2', 'matrix-agent2-laptop', otherJob);

  const supervisor = (await server.login('supervisor1')).token;
  const hits = CustodySearchResult.parse((await server.api('/api/v1/custody/search?limit=100', { token: supervisor })).body).hits;
  const disposable = hits.find((hit) => hit.lastEventKind !== 'disposed' && hit.jobId !== own.job.id && hit.jobId !== other.job.id);
  if (!disposable) throw new Error('the demo has an item to dispose of');

  const target = await server.api('/api/v1/admin/users', { token: admin, json: { username: 'matrix.target', displayName: 'Matrix Target', role: 'agent', password: 'matrix-password-1' } });
  const targetUserId = z.object({ id: z.string() }).parse(target.body).id;
  for (const deviceId of ['matrix-revoke-me', 'matrix-release-me']) {
    expect((await server.api('/api/v1/auth/login', { json: { username: 'matrix.target', password: 'matrix-password-1', deviceId } })).status).toBe(200);
  }
  const regionName = 'matrix.pmtiles';
  await writeFile(join(server.dataDir, 'regions', regionName), randomBytes(128));
  const uploadBytes = randomBytes(64);

  fixture = {
    own,
    other,
    scratch,
    agentId,
    disposableItemId: disposable.itemId,
    targetUserId,
    revokeDeviceId: 'matrix-revoke-me',
    releaseDeviceId: 'matrix-release-me',
    regionName,
    upload: { bytes: uploadBytes, sha256: createHash('sha256').update(uploadBytes).digest('hex') },
    template,
  };
  principals = await everyPrincipal(server, admin, agentDeviceId);

  const document = Document.parse((await server.api('/api/v1/openapi.json')).body);
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, key: `${method.toUpperCase()} ${path}`, operation })),
  );
}, 120_000);

afterAll(async () => {
  await principals?.close();
  await server?.close();
});

describe('the role matrix', () => {
  it('names every operation in the OpenAPI document, and the document publishes its row', () => {
    expect(operations.length).toBeGreaterThan(50);
    const unnamed = operations.filter(({ operation }) => !isAction(operation['x-reclaim-action'] ?? '')).map(({ key }) => key);
    expect(unnamed, 'operations without a role matrix entry').toEqual([]);
    for (const { key, operation } of operations) {
      const action = operation['x-reclaim-action'] as Action;
      const isPublic = roleMatrix[action].anonymous === 'public';
      expect(operation['x-reclaim-public'], key).toBe(isPublic);
      expect(operation['x-reclaim-roles'], key).toEqual(Object.fromEntries(rolesFor(action).map((role) => [role, scopeOf(action, role)])));
      expect(operation.security, key).toEqual(isPublic ? [] : [{ bearer: [] }]);
    }
  });

  it('has a sample request for every operation that needs parameters or a body', () => {
    const missing = operations.filter(({ key, operation }) => {
      if (samples[key]) return false;
      const needsPath = operation.parameters.some((parameter) => parameter.in === 'path');
      const needsQuery = operation.parameters.some((parameter) => parameter.in === 'query' && parameter.required === true);
      return needsPath || needsQuery || operation.requestBody?.required === true;
    });
    expect(missing.map(({ key }) => key), 'add a sample request for these operations').toEqual([]);
  });

  const refusals: { key: string; method: string; path: string; status: number; userId: string | null }[] = [];
  const cacheable: string[] = [];
  let cells = 0;

  it('answers every principal on every operation as the matrix says', async () => {
    const failures: string[] = [];
    // Writes that end what later cells need (sessions, devices, a disposition) run after the reads.
    const ordered = [...operations].sort((a, b) => Number(a.method !== 'GET' && a.method !== 'HEAD') - Number(b.method !== 'GET' && b.method !== 'HEAD'));
    for (const { key, method, path, operation } of ordered) {
      const action = operation['x-reclaim-action'];
      if (!action || !isAction(action)) continue;
      for (const principal of principalKinds) {
        const side = principal === 'agentOnAnothersJob' ? fixture.other : fixture.own;
        const sample = (samples[key] ?? ((): Sample => ({})))(fixture, side);
        const expected = expectedAnswer(action, principal, sample.namesAJob === true);
        const answer = await send(method, path, operation, sample, await principals.token(principal));
        cells += 1;
        const pathSent = path.replace(/\{(\w+)\}/g, (_m, name: string) => sample.path?.[name] ?? '');
        if (answer.status === 401 || answer.status === 403) refusals.push({ key, method, path: pathSent, status: answer.status, userId: principals.userIdOf(principal) });
        if (!/(^|,)\s*no-store\s*(,|$)/.test(answer.cacheControl ?? '')) cacheable.push(`${key} as ${principalLabels[principal]}: ${answer.status}, cache-control ${answer.cacheControl ?? '(none)'}`);
        if (!matches(expected, answer)) {
          failures.push(`${key} (${action}) as ${principalLabels[principal]}: expected ${describeExpected(expected)}, got ${answer.status}${answer.code ? ` ${answer.code}` : ''}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(cells).toBe(operations.length * principalKinds.length);
  }, 240_000);

  // Answers carry customers' names, addresses, photos and signatures, and sign-in answers carry
  // tokens: a browser or the desktop app's Chromium would otherwise keep them in its disk cache,
  // in plain text, past sign-out and past a revoked device's wipe.
  it('lets no answer, allowed or refused, be kept in an HTTP cache (cache-control: no-store)', () => {
    expect(cells).toBe(operations.length * principalKinds.length);
    expect(cacheable, 'answers an HTTP cache may keep').toEqual([]);
  });

  it('records every refusal (401, 403) in the audit log, under the user when the token named one', async () => {
    expect(refusals.length).toBeGreaterThan(100);
    const rows = await principals.store.db.selectFrom('audit_log').select(['method', 'path', 'status', 'user_id']).where('status', 'in', [401, 403]).execute();
    const logged = new Map<string, number>();
    const keyOf = (entry: { method: string; path: string; status: number; userId: string | null }) => `${entry.method} ${entry.path} ${entry.status} ${entry.userId ?? 'nobody'}`;
    for (const row of rows) {
      const entry = keyOf({ method: row.method, path: row.path, status: Number(row.status), userId: row.user_id });
      logged.set(entry, (logged.get(entry) ?? 0) + 1);
    }
    const missing: string[] = [];
    for (const refusal of refusals) {
      const entry = keyOf(refusal);
      const left = logged.get(entry) ?? 0;
      if (left === 0) missing.push(entry);
      else logged.set(entry, left - 1);
    }
    expect(missing, 'refusals missing from the audit log').toEqual([]);
  });
});
