import { LoginResponse } from '../../shared/api/auth';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/sync/protocol';

/** A server to call, as someone signed in or not: what the benches share to reach it over HTTP. */
export interface Http {
  readonly url: string;
  readonly token?: string;
}

/** One request with the protocol header; a JSON or CSV body makes it a POST. Anything but 2xx throws with the answer. */
export async function call<T>(http: Http, path: string, init: { json?: unknown; csv?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) };
  if (http.token) headers.authorization = `Bearer ${http.token}`;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  if (init.csv !== undefined) headers['content-type'] = 'text/csv';
  const response = await fetch(`${http.url}${path}`, {
    method: init.json === undefined && init.csv === undefined ? 'GET' : 'POST',
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.csv,
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function login(url: string, username: string, password: string, deviceId: string): Promise<LoginResponse> {
  return LoginResponse.parse(await call({ url }, '/api/v1/auth/login', { json: { username, password, deviceId } }));
}
