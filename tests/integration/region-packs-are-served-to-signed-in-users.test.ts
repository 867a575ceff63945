import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegionPackList } from '../../shared/api/regions';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
let token: string;
const packBytes = Buffer.from('PMTiles\u0003 pretend tile archive for the test', 'utf8');

beforeAll(async () => {
  server = await startTestServer();
  await writeFile(join(server.dataDir, 'regions', 'chicago.pmtiles'), packBytes);
  await writeFile(join(server.dataDir, 'regions', 'notes.txt'), 'not a pack');
  await writeFile(join(server.dataDir, 'secret.pmtiles'), 'outside the regions folder');
  token = (await server.login('agent1')).token;
});
afterAll(async () => {
  await server.close();
});

describe('region packs', () => {
  it('lists only the .pmtiles files of the regions folder', async () => {
    const answer = await server.api('/api/v1/regions', { token });
    expect(answer.status).toBe(200);
    const { regions } = RegionPackList.parse(answer.body);
    expect(regions.map((pack) => pack.name)).toEqual(['chicago.pmtiles']);
    expect(regions[0]?.size).toBe(packBytes.length);
  });

  it('serves a pack byte for byte', async () => {
    const response = await fetch(`${server.url}/api/v1/regions/chicago.pmtiles`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(packBytes.length));
    expect(Buffer.from(await response.arrayBuffer()).equals(packBytes)).toBe(true);
  });

  it('answers a missing pack with a problem', async () => {
    const answer = await server.api('/api/v1/regions/denver.pmtiles', { token });
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
  });

  it('never reaches outside the regions folder', async () => {
    for (const name of ['..%2Fsecret.pmtiles', '%2E%2E%2Fsecret.pmtiles', '..%5Csecret.pmtiles', 'notes.txt']) {
      const answer = await server.api(`/api/v1/regions/${name}`, { token });
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).not.toContain('outside the regions folder');
    }
  });

  it('requires a signed-in user', async () => {
    expect((await server.api('/api/v1/regions')).status).toBe(401);
    expect((await server.api('/api/v1/regions/chicago.pmtiles')).status).toBe(401);
  });
});
