import { Agent, request } from 'node:http';
import { LoginResponse } from '../../shared/api/auth';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/sync/protocol';

/** A server to call, as someone signed in or not: what the benches share to reach it over HTTP. */
export interface Http {
  readonly url: string;
  readonly token?: string;
}

/**
 * The simulated laptops' connections, kept open between requests as a laptop's browser keeps them.
 * node:http rather than fetch: the benches run their clients on the same two cores as the servers
 * they measure, and undici's fetch cost them about twice the CPU per request (see call()).
 */
const agent = new Agent({ keepAlive: true });

/** One request with the protocol header; a JSON or CSV body makes it a POST. Anything but 2xx throws with the answer. */
export async function call<T>(http: Http, path: string, init: { json?: unknown; csv?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) };
  if (http.token) headers.authorization = `Bearer ${http.token}`;
  const body = init.json !== undefined ? JSON.stringify(init.json) : init.csv;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  if (init.csv !== undefined) headers['content-type'] = 'text/csv';
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const outgoing = request(`${http.url}${path}`, { method: body === undefined ? 'GET' : 'POST', headers, agent }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      answer.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
  if (status < 200 || status >= 300) throw new Error(`${path}: ${status} ${text}`);
  return JSON.parse(text) as T;
}

export async function login(url: string, username: string, password: string, deviceId: string): Promise<LoginResponse> {
  return LoginResponse.parse(await call({ url }, '/api/v1/auth/login', { json: { username, password, deviceId } }));
}
