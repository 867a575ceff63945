import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobList } from '../../shared/api/jobs';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, PullResponse } from '../../shared/sync/protocol';
import { accountRow } from '../fixtures/dispatch/accounts-csv';
import { importAccounts } from './helpers/office-jobs';
import { startTestServer, type TestServer } from './helpers/server';

/**
 * The server writes every JSON answer in ASCII, each character beyond it as a \u escape, so a
 * browser reads a pull page's body without decoding it as UTF-8 (see asciiJson). What the client
 * parses must be exactly what the server meant: an accented customer, a name in another script,
 * an emoji, and the em dash of every signed checkpoint.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const customer = 'Élodie Brûlé — 東京 😀';

async function rawAnswer(path: string, token: string): Promise<{ bytes: Buffer; contentType: string | null }> {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) } });
  expect(response.status).toBe(200);
  return { bytes: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') };
}

function nonAsciiBytes(bytes: Buffer): number {
  return bytes.filter((byte) => byte > 0x7f).length;
}

describe('JSON answers are ASCII and read back the same', () => {
  it('sends a customer named beyond ASCII in escapes, and the office reads the name as typed', async () => {
    const dispatcher = (await server.login('dispatcher1')).token;
    await importAccounts(server, dispatcher, 900_001, 900_001, (n) => accountRow(n, { customer_name: customer }));
    const { bytes, contentType } = await rawAnswer('/api/v1/jobs?limit=500', dispatcher);
    expect(contentType).toBe('application/json; charset=utf-8');
    expect(nonAsciiBytes(bytes)).toBe(0);
    expect(bytes.toString('latin1')).toContain('\\u00c9lodie Br\\u00fbl\\u00e9 \\u2014 \\u6771\\u4eac \\ud83d\\ude00');
    const list = JobList.parse(JSON.parse(bytes.toString('utf8')));
    expect(list.jobs.find((job) => job.accountRef === accountRow(900_001).account_ref)?.customer.name).toBe(customer);
  });

  it('sends a pull page in ASCII, and its signed checkpoint reads back with its em dash', async () => {
    const agent = (await server.login('agent1')).token;
    const { bytes } = await rawAnswer('/api/v1/sync/pull?cursor=0&limit=50', agent);
    expect(nonAsciiBytes(bytes)).toBe(0);
    const page = PullResponse.parse(JSON.parse(bytes.toString('utf8')));
    expect(page.changes.length).toBeGreaterThan(0);
    // A signed note's signature lines begin with an em dash (C2SP signed-note).
    expect(page.checkpoint).toMatch(/\n\u2014 \S+ \S+\n$/u);
  });
});
