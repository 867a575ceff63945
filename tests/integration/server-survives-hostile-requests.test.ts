import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/sync/protocol';
import { hostileStrings, leaksInternals } from './helpers/hostile-input';
import { deeplyNestedJson, hostileLeaf, serializeHostileJson, valueFor } from './helpers/openapi-arbitraries';
import { rawExchange, type RawAnswer } from './helpers/raw-http';
import { startTestServer, type TestServer } from './helpers/server';

/**
 * Thousands of hostile requests against every operation in the server's own OpenAPI document,
 * with bodies and parameters shaped by its schemas and poisoned at the leaves (NUL, lone
 * surrogates, 1 MB strings, 1e309, __proto__ keys), bodies nested 10,000 deep, wrong content
 * types, and raw sockets that send half a body and then close or stall. The server must answer
 * every one completely (no connection cut), never with a 5xx, never with a stack, a framework
 * code or a database error, only with error statuses its OpenAPI document lists (or the
 * framework-wide 405/408/414/431), and end with its memory where it started.
 * Seeded: RECLAIM_FUZZ_SEED replays a run, RECLAIM_FUZZ_RUNS makes it longer.
 */
const runs = Number(process.env.RECLAIM_FUZZ_RUNS ?? 4000);
const seed = Number(process.env.RECLAIM_FUZZ_SEED ?? 20_261_204);
const rawRuns = Math.max(40, Math.round(runs / 25));
const requestTimeoutMs = 2_000;

interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly schema: Record<string, unknown>;
}
interface Operation {
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly Parameter[];
  readonly jsonBody: Record<string, unknown> | null;
  readonly binaryBody: boolean;
  /** Statuses the document says this operation may answer. */
  readonly documented: ReadonlySet<number>;
}

/** Answers any operation may give for a request the server cannot take at all (the document's "default"). */
const frameworkWide = new Set([405, 408, 414, 431]);

let server: TestServer;
let operations: Operation[];
let tokens: Record<'agent' | 'dispatcher' | 'supervisor' | 'admin', string>;
let knownIds: string[];

beforeAll(async () => {
  server = await startTestServer({ requestLimits: { requestTimeoutMs } });
  const document = (await server.api('/api/v1/openapi.json')).body as {
    paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> }; responses: Record<string, unknown> }>>;
  };
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      parameters: operation.parameters ?? [],
      jsonBody: operation.requestBody?.content['application/json']?.schema ?? null,
      binaryBody: operation.requestBody !== undefined && operation.requestBody.content['application/json'] === undefined,
      documented: new Set(Object.keys(operation.responses).filter((status) => /^\d{3}$/.test(status)).map(Number)),
    })),
  );
  tokens = {
    agent: (await server.login('agent1')).token,
    dispatcher: (await server.login('dispatcher1')).token,
    supervisor: (await server.login('supervisor1')).token,
    admin: (await server.login('admin')).token,
  };
  const jobs = (await server.api('/api/v1/jobs?limit=5', { token: tokens.dispatcher })).body as { jobs: { id: string; items: { id: string }[] }[] };
  knownIds = jobs.jobs.flatMap((job) => [job.id, ...job.items.map((item) => item.id)]);
});
afterAll(() => server.close());

/** The collector, reached the one way Node offers without a command-line flag. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function memory(): { heapMb: number; rssMb: number } {
  collectGarbage();
  collectGarbage();
  const usage = process.memoryUsage();
  return { heapMb: usage.heapUsed / 2 ** 20, rssMb: usage.rss / 2 ** 20 };
}

/** encodeURIComponent throws on a lone surrogate; send its (invalid) UTF-8 bytes instead. */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
}

/** Signs of the server's insides in an answer: a stack, a framework's or parser's code, SQL's words. */
function leaks(text: string): boolean {
  return leaksInternals(text) || /\b(FST_[A-Z_]+|HPE_[A-Z_]+|ERR_[A-Z_]{4,})\b|violates [a-z ]*constraint|duplicate key value|relation "\w+"|column "\w+"|SQLITE_/.test(text);
}

// fetch refuses TRACE and CONNECT itself, so they never reach a server from a browser either.
const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND', 'LOCK'];

const body = (operation: Operation) =>
  fc.oneof(
    { weight: 8, arbitrary: (operation.jsonBody ? valueFor(operation.jsonBody) : hostileLeaf).map(serializeHostileJson) },
    { weight: 1, arbitrary: fc.constantFrom(10_000, 20_000).map(deeplyNestedJson) },
    { weight: 1, arbitrary: fc.constantFrom('', '{', '{"a":', 'null', '[]', '{"a":1}{"b":2}', '\uFEFF{}', '{"a":1e309}', '{"__proto__":{"role":"admin"}}', '{"a":"\\ud800"}', '{"a":"\\u0000"}') },
    { weight: 1, arbitrary: fc.constant(null).map(() => JSON.stringify({ padding: 'z'.repeat(1024 * 1024 + 10) })) },
  );

const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      undefined,
      'application/json; charset=utf-16',
      'text/plain',
      'text/csv',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=----x',
      'application/octet-stream',
      'image/png',
      'application/xml',
      ';;;',
      'application/json'.padEnd(5000, ' '),
    ),
  },
);

const segment = fc.oneof(fc.constantFrom(...hostileStrings), fc.string({ maxLength: 40 }), fc.uuid(), fc.constant(null).map(() => 'a'.repeat(64)));

/** One request against one operation: its own method mostly, its parameters, a body for writes. */
const hostileRequest = fc.nat().chain((pick) => {
  const operation = operations[pick % operations.length] as Operation;
  const query = operation.parameters.filter((parameter) => parameter.in === 'query');
  return fc.record({
    operation: fc.constant(operation),
    method: fc.oneof({ weight: 5, arbitrary: fc.constant(operation.method) }, { weight: 1, arbitrary: fc.constantFrom(...methods) }),
    segment: fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...(knownIds.length > 0 ? knownIds : ['x'])) }, { weight: 3, arbitrary: segment }),
    rawSegment: fc.oneof({ weight: 1, arbitrary: fc.constant(true) }, { weight: 4, arbitrary: fc.constant(false) }),
    query: fc.array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...(query.length > 0 ? query.map((parameter) => parameter.name) : ['q'])), fc.constantFrom('__proto__', 'constructor[prototype][x]', 'a[]', 'limit[]', 'q')),
        fc.oneof({ weight: 40, arbitrary: segment }, { weight: 1, arbitrary: fc.constant(null).map(() => 'q'.repeat(20_000)) }),
      ),
      { maxLength: 4 },
    ),
    body: fc.option(body(operation), { nil: undefined, freq: 4 }),
    contentType,
    authorization: fc.constantFrom<'none' | 'agent' | 'dispatcher' | 'supervisor' | 'admin' | 'garbage' | 'huge'>('none', 'agent', 'dispatcher', 'supervisor', 'admin', 'admin', 'garbage', 'huge'),
    protocol: fc.constantFrom(undefined, String(PROTOCOL_VERSION), String(PROTOCOL_VERSION), '0', '99999999999999999999', 'abc'),
  });
});

const seen = { requests: 0, statuses: new Map<number, number>(), undocumented: [] as string[], cut: [] as string[] };

function count(status: number): void {
  seen.statuses.set(status, (seen.statuses.get(status) ?? 0) + 1);
}

it(`answers ${runs} hostile requests over every OpenAPI operation, and raw sockets that stop halfway, completely and without a 5xx`, async () => {
  const before = memory();
  console.info(`hostile-request fuzz (${server.store}): seed ${seed}, memory before: heap ${before.heapMb.toFixed(1)} MB, rss ${before.rssMb.toFixed(1)} MB`);

  await fc.assert(
    fc.asyncProperty(hostileRequest, async (request) => {
      const { operation } = request;
      const method = request.method;
      const value = request.rawSegment ? request.segment : encode(request.segment);
      const query = request.query.map(([key, text]) => `${encode(key)}=${encode(text)}`).join('&');
      const path = operation.path.replace(/\{\w+\}/g, value) + (query ? `?${query}` : '');
      const headers: Record<string, string> = {};
      if (request.contentType !== undefined) headers['content-type'] = request.contentType;
      if (request.protocol !== undefined) headers[PROTOCOL_HEADER] = request.protocol;
      // Sign-out and key rotation would change the shared sessions and keys; they get bad tokens only.
      const sparing = /\/auth\/(logout|logout-all|refresh)$|\/signing-key\/rotate$/.test(operation.path);
      const auth = sparing && request.authorization in tokens ? 'garbage' : request.authorization;
      if (auth === 'garbage') headers.authorization = 'Bearer not-a-token';
      else if (auth === 'huge') headers.authorization = `Bearer ${'A'.repeat(16_000)}`;
      else if (auth !== 'none') headers.authorization = `Bearer ${tokens[auth]}`;
      const canHaveBody = !['GET', 'HEAD'].includes(method);
      const where = `${method} ${path.slice(0, 200)}`;

      let response: Response;
      try {
        response = await fetch(`${server.url}${path}`, { method, headers, body: canHaveBody ? request.body : undefined, signal: AbortSignal.timeout(20_000) });
      } catch (error) {
        const cause = String((error as { cause?: unknown }).cause ?? '');
        // fetch itself refuses some inputs (a URL or header value it will not send): not the server's doing.
        if (error instanceof TypeError && !/ECONNRESET|EPIPE|UND_ERR_SOCKET|closed|terminated/i.test(`${error.message} ${cause}`)) return;
        seen.cut.push(`${where}: ${String(error)} ${cause}`);
        throw error;
      }
      seen.requests += 1;
      count(response.status);
      const isStream = (response.headers.get('content-type') ?? '').includes('text/event-stream');
      let text = '';
      try {
        // A live stream is open by design: its headers are the whole answer we wait for.
        text = isStream ? (await response.body?.cancel(), '') : await response.text();
      } catch (error) {
        seen.cut.push(`${where}: body cut: ${String(error)}`);
        throw error;
      }
      expect(response.status, `${where} → ${response.status}: ${text.slice(0, 300)}`).toBeLessThan(500);
      expect(leaks(text), `${where} leaked: ${text.slice(0, 300)}`).toBe(false);
      if (response.status >= 400 && text) expect(response.headers.get('content-type'), `${where} → ${response.status} is not a problem`).toContain('application/problem+json');
      // The document must list what the operation answers, when the request is that operation.
      const sameOperation = method === operation.method && !request.rawSegment && !path.includes('%2F') && !path.includes('%2f');
      if (sameOperation && response.status >= 400 && !operation.documented.has(response.status) && !frameworkWide.has(response.status)) {
        seen.undocumented.push(`${operation.method} ${operation.path} → ${response.status}: ${text.slice(0, 160)}`);
      }
    }),
    { numRuns: runs, seed, endOnFailure: true },
  );

  // Half a body and then the end of the connection, at every operation that takes a body.
  const writes = operations.filter((operation) => operation.jsonBody || operation.binaryBody);
  const host = new URL(server.url).host;
  const halfway = (operation: Operation, token: string) => {
    const type = operation.binaryBody ? 'application/octet-stream' : 'application/json';
    const path = operation.path.replace(/\{\w+\}/g, knownIds[0] ?? 'x'.repeat(64));
    return `${operation.method} ${path} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\n${PROTOCOL_HEADER}: ${PROTOCOL_VERSION}\r\nContent-Type: ${type}\r\nContent-Length: 4000\r\n\r\n{"a":"${'b'.repeat(1000)}`;
  };
  const expectWhole = (answer: RawAnswer, where: string) => {
    if (answer.silent || !answer.complete) seen.cut.push(`${where}: ${answer.silent ? 'closed without an answer' : 'an incomplete answer'}`);
    expect(answer.complete, `${where}: ${answer.body.slice(0, 200)}`).toBe(true);
    expect(answer.status, where).toBeGreaterThanOrEqual(400);
    expect(answer.status, where).toBeLessThan(500);
    expect(leaks(answer.body), `${where} leaked: ${answer.body.slice(0, 200)}`).toBe(false);
    count(answer.status);
    seen.requests += 1;
  };
  await fc.assert(
    fc.asyncProperty(fc.nat(), fc.constantFrom(...(Object.keys(tokens) as (keyof typeof tokens)[])), async (pick, who) => {
      const operation = writes[pick % writes.length] as Operation;
      const answer = await rawExchange(server.url, { bytes: halfway(operation, tokens[who]), endAfterSending: true, timeoutMs: requestTimeoutMs * 5 });
      expectWhole(answer, `half a body, then closed: ${operation.method} ${operation.path}`);
    }),
    { numRuns: rawRuns, seed, endOnFailure: true },
  );
  // Half a body and then nothing: answered 408 when the request time is up, all at once.
  const stalls = await Promise.all(
    Array.from({ length: 30 }, (_, index) => {
      const operation = writes[index % writes.length] as Operation;
      return rawExchange(server.url, { bytes: halfway(operation, tokens.admin), timeoutMs: requestTimeoutMs * 10 }).then((answer) => ({ answer, operation }));
    }),
  );
  for (const { answer, operation } of stalls) {
    expectWhole(answer, `half a body, then silence: ${operation.method} ${operation.path}`);
    // A JSON body is read before anything else, so it waits for its time; a streamed upload may be
    // refused (its name, its sender) before a byte of it is read.
    if (operation.jsonBody) expect(answer.status, `${operation.method} ${operation.path}`).toBe(408);
  }

  const after = memory();
  const histogram = [...seen.statuses.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(' ');
  console.info(
    `hostile-request fuzz (${server.store}): ${seen.requests} requests over ${operations.length} operations (${rawRuns} half bodies closed, ${stalls.length} stalled), 0 5xx, ${seen.cut.length} cut; statuses ${histogram}; memory after: heap ${after.heapMb.toFixed(1)} MB (${(after.heapMb - before.heapMb).toFixed(1)}), rss ${after.rssMb.toFixed(1)} MB (${(after.rssMb - before.rssMb).toFixed(1)})`,
  );
  expect(seen.cut).toEqual([]);
  expect(seen.undocumented).toEqual([]);
  expect(seen.requests).toBeGreaterThan(runs * 0.9);
  // Generous: garbage from 1 MB bodies may linger in the allocator, a leak of every request would not fit.
  expect(after.heapMb - before.heapMb).toBeLessThan(64);
  expect(after.rssMb - before.rssMb).toBeLessThan(384);

  expect((await server.api('/api/v1/health')).status).toBe(200);
  // The shared sessions were never ended, and the admin still works after the onslaught.
  expect((await server.api('/api/v1/admin/users', { token: tokens.admin })).status).toBe(200);
}, 600_000);
