import { describe, expect, it } from 'vitest';
import { fetchTravelMatrix, osrmTableUrl, type FetchLike } from '../../shared/route/osrm-table';

const points = [
  { lat: 52.52, lon: 13.405 },
  { lat: 52.5, lon: 13.45 },
];

/** OSRM is an external service: a fake answering like it is enough here. */
function answering(status: number, body: unknown, seen: string[] = []): FetchLike {
  return async (url) => {
    seen.push(url);
    return { ok: status >= 200 && status < 300, status, json: async () => body };
  };
}

describe('OSRM table client', () => {
  it('asks the table service for durations and distances and reads the answer', async () => {
    const seen: string[] = [];
    const body = { code: 'Ok', durations: [[0, 420.5], [400.1, 0]], distances: [[0, 4100], [3900, 0]] };
    const result = await fetchTravelMatrix(points, { baseUrl: 'http://osrm.test/', fetch: answering(200, body, seen) });
    expect(seen[0]).toBe('http://osrm.test/table/v1/driving/13.405000,52.520000;13.450000,52.500000?annotations=duration,distance');
    expect(result.source).toBe('osrm');
    expect(result.fallbackReason).toBeNull();
    expect(result.durationsS).toEqual([[0, 420.5], [400.1, 0]]);
    expect(result.distancesM).toEqual([[0, 4100], [3900, 0]]);
  });

  it('fills unroutable pairs with the offline estimate and counts them', async () => {
    const body = { code: 'Ok', durations: [[0, null], [400, 0]] };
    const result = await fetchTravelMatrix(points, { baseUrl: 'http://osrm.test', fetch: answering(200, body) });
    expect(result.source).toBe('osrm');
    expect(result.estimatedPairs).toBe(1);
    expect(result.durationsS[0]?.[1]).toBeGreaterThan(0);
  });

  it.each([
    ['an answer that is not a table', { hello: 'world' }, 200, /not an OSRM table/],
    ['a refusal', { code: 'InvalidQuery', message: 'bad coordinates' }, 200, /refused the request \(InvalidQuery: bad coordinates\)/],
    ['a table of the wrong size', { code: 'Ok', durations: [[0]] }, 200, /not a 2×2 table/],
    ['negative durations', { code: 'Ok', durations: [[0, -5], [1, 0]] }, 200, /not an OSRM table/],
    ['an HTTP error', {}, 503, /HTTP 503/],
  ])('falls back to the offline matrix on %s', async (_, body, status, reason) => {
    const result = await fetchTravelMatrix(points, { baseUrl: 'http://osrm.test', fetch: answering(status, body) });
    expect(result.source).toBe('offline');
    expect(result.fallbackReason).toMatch(reason);
    expect(result.durationsS[0]?.[1]).toBeGreaterThan(0);
  });

  it('falls back when the service cannot be reached at all', async () => {
    const unreachable: FetchLike = async () => {
      throw new Error('getaddrinfo ENOTFOUND osrm.test');
    };
    const result = await fetchTravelMatrix(points, { baseUrl: 'http://osrm.test', fetch: unreachable });
    expect(result.source).toBe('offline');
    expect(result.fallbackReason).toBe('the routing service could not be reached (getaddrinfo ENOTFOUND osrm.test)');
  });

  it('builds the documented table URL', () => {
    expect(osrmTableUrl('https://r.example/osrm', 'foot', points)).toBe(
      'https://r.example/osrm/table/v1/foot/13.405000,52.520000;13.450000,52.500000?annotations=duration,distance',
    );
  });
});
