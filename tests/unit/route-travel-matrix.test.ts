import { describe, expect, it } from 'vitest';
import { greatCircleMetres, offlineTravelMatrix } from '../../shared/route/travel-matrix';

describe('offline travel matrix', () => {
  it('measures great-circle distances', () => {
    // One degree of latitude along a meridian: 2πR/360 with the mean Earth radius.
    expect(greatCircleMetres({ lat: 0, lon: 0 }, { lat: 1, lon: 0 })).toBeCloseTo(111_195, -1);
    // Paris (Notre-Dame) to London (Charing Cross): about 343.5 km as the crow flies.
    const parisLondon = greatCircleMetres({ lat: 48.853, lon: 2.3499 }, { lat: 51.5073, lon: -0.1277 });
    expect(parisLondon / 1000).toBeGreaterThan(341);
    expect(parisLondon / 1000).toBeLessThan(346);
  });

  it('stretches by the road-detour factor and drives at the average speed', () => {
    const points = [
      { lat: 0, lon: 0 },
      { lat: 1, lon: 0 },
    ];
    const standard = offlineTravelMatrix(points);
    expect(standard.distancesM[0]?.[1]).toBeCloseTo(111_195 * 1.3, -2);
    // 144.55 km at 40 km/h is about 3.61 hours.
    expect((standard.durationsS[0]?.[1] ?? 0) / 3600).toBeCloseTo((111.195 * 1.3) / 40, 2);
    expect(standard.durationsS[1]?.[1]).toBe(0);
    const rural = offlineTravelMatrix(points, { detourFactor: 1.1, averageSpeedKmh: 80 });
    expect((rural.durationsS[0]?.[1] ?? 0) / 3600).toBeCloseTo((111.195 * 1.1) / 80, 2);
    expect(() => offlineTravelMatrix(points, { averageSpeedKmh: 0 })).toThrow(/speed/);
  });
});
