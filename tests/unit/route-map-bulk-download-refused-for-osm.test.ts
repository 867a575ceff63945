import { describe, expect, it } from 'vitest';
import { bulkDownloadRefusal, isOpenStreetMapPublicServer } from '../../renderer/features/route/map/bulk-policy';

describe('saving an area for offline respects the tile source’s policy', () => {
  it.each([
    'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
    'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png',
    'https://a.tile.openstreetmap.fr/hot/{z}/{x}/{y}.png',
    'https://tile.osm.org/{z}/{x}/{y}.png',
  ])('refuses OpenStreetMap’s public servers (%s) even when marked as permitting', (template) => {
    expect(isOpenStreetMapPublicServer(template)).toBe(true);
    expect(bulkDownloadRefusal(template, true)).toMatch(/forbid bulk downloading in their tile usage policy/);
  });

  it('refuses an unmarked source and allows a marked self-hosted one', () => {
    const own = 'https://tiles.reclaim.example/{z}/{x}/{y}.png';
    expect(bulkDownloadRefusal(own, false)).toMatch(/not marked as permitting bulk download/);
    expect(bulkDownloadRefusal(own, true)).toBeNull();
    // A look-alike host is not OpenStreetMap's.
    expect(isOpenStreetMapPublicServer('https://notopenstreetmap.org.example/{z}/{x}/{y}.png')).toBe(false);
  });
});
