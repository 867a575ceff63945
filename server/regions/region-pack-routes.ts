import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { RegionPackList, RegionPackName, type RegionPackSummary } from '../../shared/api/regions';
import type { ServerContext } from '../context';
import type { ApiRouter } from '../http/api-router';
import { problems } from '../http/problem';

/**
 * Map region packs for offline use: an administrator drops PMTiles files into
 * `<data>/regions/` and every signed-in laptop can download the one for its operating area.
 * Names are checked against a strict pattern before they touch the file system, so no request
 * can reach outside that folder.
 */
async function listPacks(regionDir: string): Promise<RegionPackSummary[]> {
  const names = (await readdir(regionDir)).filter((name) => RegionPackName.safeParse(name).success).sort();
  const packs: RegionPackSummary[] = [];
  for (const name of names) {
    const info = await stat(join(regionDir, name));
    if (info.isFile()) packs.push({ name, size: info.size, updatedAt: info.mtime.toISOString() });
  }
  return packs;
}

export function registerRegionPackRoutes(api: ApiRouter, context: ServerContext): void {
  api.route({
    method: 'GET',
    url: '/api/v1/regions',
    summary: 'The map region packs (PMTiles) this server hosts for offline use',
    tag: 'regions',
    action: 'regions.read',
    response: { status: 200, description: 'The packs, by name', schema: RegionPackList },
    handler: async () => ({ regions: await listPacks(context.regionDir) }),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/regions/:name',
    summary: 'Download one region pack',
    tag: 'regions',
    action: 'regions.read',
    params: z.object({ name: RegionPackName }),
    response: { status: 200, description: 'The PMTiles file', binary: true },
    handler: async ({ params, reply }) => {
      const file = join(context.regionDir, params.name);
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) throw problems.notFound(`This server has no region pack named ${params.name}.`);
      return reply
        .code(200)
        .header('content-length', info.size)
        .header('last-modified', info.mtime.toUTCString())
        .type('application/vnd.pmtiles')
        .send(createReadStream(file));
    },
  });
}
