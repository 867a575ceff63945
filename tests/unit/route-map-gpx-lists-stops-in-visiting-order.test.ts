import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { buildGpx, gpxFileName } from '../../renderer/features/route/gpx';
import { SaveFileRequest } from '../../shared/bridge';

const day = {
  name: 'Reclaim route 2026-03-09',
  createdAt: '2026-03-09T12:00:00.000Z',
  start: { lat: 41.8819, lon: -87.6278, label: 'Depot & yard' },
  stops: [
    { name: 'Ada <Lovelace>', lat: 41.9, lon: -87.65, arrival: '2026-03-09T14:10:00.000Z', description: '1 Main St, "rear door"' },
    { name: "O'Brien Plumbing", lat: 41.85, lon: -87.7, arrival: '2026-03-09T14:45:00.000Z', description: 'gate code 4471' },
    { name: 'Zed', lat: 41.95, lon: -87.6, arrival: null, description: '' },
  ],
};

describe('the GPX export', () => {
  it('is well-formed GPX 1.1 with the waypoints and the route in visiting order', () => {
    const errors: string[] = [];
    const doc = new DOMParser({ onError: (level, message) => errors.push(`${level}: ${message}`) }).parseFromString(buildGpx(day), 'application/xml');
    expect(errors).toEqual([]);
    const gpx = doc.documentElement;
    expect(gpx?.getAttribute('version')).toBe('1.1');
    expect(gpx?.namespaceURI).toBe('http://www.topografix.com/GPX/1/1');
    const names = (tag: string) =>
      Array.from(doc.getElementsByTagName(tag)).map((el) => el.getElementsByTagName('name')[0]?.textContent);
    expect(names('wpt')).toEqual(['1. Ada <Lovelace>', "2. O'Brien Plumbing", '3. Zed']);
    expect(names('rtept')).toEqual(['Start: Depot & yard', '1. Ada <Lovelace>', "2. O'Brien Plumbing", '3. Zed']);
    const first = doc.getElementsByTagName('wpt')[0];
    expect(first?.getAttribute('lat')).toBe('41.900000');
    expect(first?.getElementsByTagName('time')[0]?.textContent).toBe('2026-03-09T14:10:00.000Z');
  });

  it('names the file so the bridge accepts it', () => {
    const request = { suggestedName: gpxFileName('2026-03-09'), mimeType: 'application/gpx+xml', content: buildGpx(day) };
    expect(SaveFileRequest.safeParse(request).success).toBe(true);
    expect(SaveFileRequest.safeParse({ ...request, suggestedName: '../../.bashrc' }).success).toBe(false);
  });
});
