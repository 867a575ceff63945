import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../../shared/api/problem';
import { leaksInternals } from './helpers/hostile-input';
import { rawExchange, type RawAnswer } from './helpers/raw-http';
import { startTestServer, type TestServer } from './helpers/server';

/**
 * Every refusal the server gives, the ones Node and Fastify find before a route runs included,
 * is a complete problem+json answer in our own words and codes: never a framework's format or
 * code (FST_…), never a stack, never an answer that starts 200 and breaks off.
 */
const requestTimeoutMs = 1_500;
let server: TestServer;
let supervisor: string;
let dispatcher: string;
beforeAll(async () => {
  server = await startTestServer({ requestLimits: { requestTimeoutMs, liveStreamsPerUser: 3, liveStreamIdleMs: 1_000 } });
  supervisor = (await server.login('supervisor1')).token;
  dispatcher = (await server.login('dispatcher1')).token;
});
afterAll(() => server.close());

function expectProblemText(status: number, type: string, text: string, expected: { status: number; code: string }): Problem {
  expect(status, text.slice(0, 200)).toBe(expected.status);
  expect(type).toContain('application/problem+json');
  expect(text).not.toMatch(/FST_|ERR_|HPE_/);
  expect(leaksInternals(text)).toBe(false);
  const problem = Problem.parse(JSON.parse(text));
  expect(problem).toMatchObject(expected);
  expect(problem.detail.length).toBeGreaterThan(10);
  return problem;
}

async function fetchProblem(path: string, init: RequestInit, expected: { status: number; code: string }) {
  const response = await fetch(`${server.url}${path}`, init);
  const text = await response.text();
  return { problem: expectProblemText(response.status, response.headers.get('content-type') ?? '', text, expected), headers: response.headers };
}

function expectRawProblem(answer: RawAnswer, expected: { status: number; code: string }): Problem {
  expect(answer.silent, 'the server closed without answering').toBe(false);
  expect(answer.complete, `an incomplete answer: ${answer.body.slice(0, 200)}`).toBe(true);
  return expectProblemText(answer.status, answer.headers['content-type'] ?? '', answer.body, expected);
}

const host = () => new URL(server.url).host;

describe('addresses the router cannot take', () => {
  it('a malformed percent-encoding is 400', async () => {
    await fetchProblem('/api/v1/jobs/%E0%A4%A', {}, { status: 400, code: 'validation' });
    await fetchProblem('/api/v1/blobs/%', { headers: { authorization: `Bearer ${dispatcher}` } }, { status: 400, code: 'validation' });
  });

  it('an unknown route is 404', async () => {
    await fetchProblem('/api/v1/no-such-thing', {}, { status: 404, code: 'not_found' });
  });

  it('a known path with the wrong method is 405 with Allow, and OPTIONS lists the methods', async () => {
    const { headers } = await fetchProblem('/api/v1/health', { method: 'DELETE' }, { status: 405, code: 'method_not_allowed' });
    expect(headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    const jobs = await fetchProblem('/api/v1/jobs/0190a0a0-0000-7000-8000-000000000000', { method: 'PUT' }, { status: 405, code: 'method_not_allowed' });
    expect(jobs.headers.get('allow')).toBe('GET, HEAD, PATCH, OPTIONS');
    const options = await fetch(`${server.url}/api/v1/jobs`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
  });

  it('a 20 kB address is 414, and a 40 kB one too, from Node itself', async () => {
    await fetchProblem(`/api/v1/jobs?q=${'a'.repeat(20_000)}`, { headers: { authorization: `Bearer ${dispatcher}` } }, { status: 414, code: 'uri_too_long' });
    await fetchProblem(`/api/v1/jobs/${'a'.repeat(300)}`, {}, { status: 414, code: 'uri_too_long' });
    const huge = await rawExchange(server.url, { bytes: `GET /api/v1/health?q=${'a'.repeat(40_000)} HTTP/1.1\r\nHost: ${host()}\r\n\r\n` });
    expectRawProblem(huge, { status: 414, code: 'uri_too_long' });
  });

  it('a 40 kB header is 431, written by our own client-error answer', async () => {
    const answer = await rawExchange(server.url, { bytes: `GET /api/v1/health HTTP/1.1\r\nHost: ${host()}\r\nX-Padding: ${'a'.repeat(40_000)}\r\n\r\n` });
    expectRawProblem(answer, { status: 431, code: 'headers_too_large' });
  });

  it('bytes that are not HTTP are 400', async () => {
    const answer = await rawExchange(server.url, { bytes: 'HELLO THERE\r\n\r\n' });
    expectRawProblem(answer, { status: 400, code: 'validation' });
  });
});

describe('bodies', () => {
  it('too large is 413, of a type no route reads is 415, not JSON is 400', async () => {
    const login = (body: string, type: string) => ({ method: 'POST', headers: { 'content-type': type }, body });
    await fetchProblem('/api/v1/auth/login', login(JSON.stringify({ username: 'x', password: 'y'.repeat(2 * 1024 * 1024) }), 'application/json'), { status: 413, code: 'payload_too_large' });
    await fetchProblem('/api/v1/auth/login', login('<login/>', 'application/xml'), { status: 415, code: 'unsupported_media_type' });
    await fetchProblem('/api/v1/auth/login', login('{"username":', 'application/json'), { status: 400, code: 'validation' });
    await fetchProblem('/api/v1/auth/login', login('{"__proto__":{"role":"admin"}}', 'application/json'), { status: 400, code: 'validation' });
  });

  it('a body that stops halfway is answered 408 once the request time is up, and the connection closed', async () => {
    const half = await rawExchange(server.url, {
      bytes: `POST /api/v1/auth/login HTTP/1.1\r\nHost: ${host()}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"username":"agent1",`,
      timeoutMs: requestTimeoutMs * 10,
    });
    expectRawProblem(half, { status: 408, code: 'request_timeout' });
    const chunked = await rawExchange(server.url, {
      bytes: `POST /api/v1/auth/login HTTP/1.1\r\nHost: ${host()}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{"username":"ag`,
      timeoutMs: requestTimeoutMs * 10,
    });
    expectRawProblem(chunked, { status: 408, code: 'request_timeout' });
    expect((await server.api('/api/v1/health')).status).toBe(200);
  });
});

describe('control characters and broken text', () => {
  const office = () => ({ authorization: `Bearer ${dispatcher}` });

  it('are refused with 400 in a path parameter, a query and a JSON string, before anything runs', async () => {
    await fetchProblem('/api/v1/jobs/ab%00cd', { headers: office() }, { status: 400, code: 'validation' });
    await fetchProblem('/api/v1/jobs?q=Dana%07', { headers: office() }, { status: 400, code: 'validation' });
    const { problem } = await fetchProblem('/api/v1/jobs?q=%C2%85', { headers: office() }, { status: 400, code: 'validation' });
    expect(problem.errors?.[0]?.path).toBe('query.q');
    const signIn = (body: string) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const nul = await fetchProblem('/api/v1/auth/login', signIn('{"username":"agent1\\u0000","password":"demo1234"}'), { status: 400, code: 'validation' });
    expect(nul.problem.detail).toContain('U+0000');
    await fetchProblem('/api/v1/auth/login', signIn('{"username":"agent1\\ud800","password":"demo1234"}'), { status: 400, code: 'validation' });
    await fetchProblem('/api/v1/auth/login', signIn('{"user\\u001bname":"agent1","password":"demo1234"}'), { status: 400, code: 'validation' });
  });

  it('lets multi-line text keep its line breaks and tabs', async () => {
    const jobs = (await server.api('/api/v1/jobs?status=unassigned&limit=1', { token: dispatcher })).body as { jobs: { id: string }[] };
    const job = jobs.jobs[0];
    if (!job) throw new Error('the demo has a new job');
    const held = await server.api('/api/v1/jobs/hold-or-cancel', { token: dispatcher, json: { jobIds: [job.id], status: 'on_hold', reason: 'Customer asked:\n\t"call first"\r\n' } });
    expect(held.status).toBe(200);
  });
});

describe('streamed exports check everything before their first byte', () => {
  const auth = () => ({ authorization: `Bearer ${supervisor}` });

  it('?serial=%00 and ?q=%00 are 400, never a 200 that breaks off', async () => {
    await fetchProblem('/api/v1/custody/export/csv?serial=%00', { headers: auth() }, { status: 400, code: 'validation' });
    await fetchProblem('/api/v1/audit/export.csv?q=%00', { headers: auth() }, { status: 400, code: 'validation' });
    await fetchProblem('/api/v1/audit/export.csv?route=%00', { headers: auth() }, { status: 400, code: 'validation' });
  });

  it('a good export arrives whole, header and rows', async () => {
    const custody = await rawExchange(server.url, { bytes: `GET /api/v1/custody/export/csv HTTP/1.1\r\nHost: ${host()}\r\nAuthorization: Bearer ${supervisor}\r\nConnection: close\r\n\r\n` });
    expect(custody.status).toBe(200);
    expect(custody.complete).toBe(true);
    expect(custody.body.split('\r\n')[0]).toMatch(/^event_id,at,kind/);
    expect(custody.body.split('\r\n').length).toBeGreaterThan(3);
    const audit = await rawExchange(server.url, { bytes: `GET /api/v1/audit/export.csv HTTP/1.1\r\nHost: ${host()}\r\nAuthorization: Bearer ${supervisor}\r\nConnection: close\r\n\r\n` });
    expect(audit.status).toBe(200);
    expect(audit.complete).toBe(true);
  });
});

describe('the live event stream', () => {
  const office = () => ({ authorization: `Bearer ${dispatcher}` });

  it('answers HEAD at once, with no stream', async () => {
    const answer = await rawExchange(server.url, { bytes: `HEAD /api/v1/events HTTP/1.1\r\nHost: ${host()}\r\nAuthorization: Bearer ${dispatcher}\r\nConnection: close\r\n\r\n`, timeoutMs: 5_000 });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toContain('text/event-stream');
    expect(answer.body).toBe('');
    // Not signed in: refused before anything is looked up.
    expect((await fetch(`${server.url}/api/v1/events`, { method: 'HEAD' })).status).toBe(401);
  });

  it('holds a user to their limit of open streams, and closes an idle stream by itself', async () => {
    const controllers = [0, 1, 2].map(() => new AbortController());
    const open = await Promise.all(controllers.map((controller) => fetch(`${server.url}/api/v1/events`, { headers: office(), signal: controller.signal })));
    expect(open.map((response) => response.status)).toEqual([200, 200, 200]);
    const { headers, problem } = await fetchProblem('/api/v1/events', { headers: office() }, { status: 429, code: 'too_many_streams' });
    expect(Number(headers.get('retry-after'))).toBeGreaterThan(0);
    expect(problem.detail).toContain('3 live views');
    // Another user is not held to this one's streams.
    const other = await fetch(`${server.url}/api/v1/events`, { headers: { authorization: `Bearer ${supervisor}` } });
    expect(other.status).toBe(200);

    // With no event for a second, every stream is let go: the body ends, it does not hang.
    for (const response of [...open, other]) await response.text();
    const again = await fetch(`${server.url}/api/v1/events`, { headers: office() });
    expect(again.status).toBe(200);
    await again.text();
  });
});
