import { describe, expect, it } from 'vitest';
import { roadMatrixFor, type RoadTimes } from '../../renderer/features/route/road-times';

/** Node 0 is the start, then jobs a, b, c; each cell says from→to so a wrong pick shows. */
const cell = (from: number, to: number) => from * 10 + to;
const times: RoadTimes = {
  key: 'k',
  jobIds: ['a', 'b', 'c'],
  matrix: {
    durationsS: [0, 1, 2, 3].map((from) => [0, 1, 2, 3].map((to) => cell(from, to))),
    distancesM: [0, 1, 2, 3].map((from) => [0, 1, 2, 3].map((to) => 1000 + cell(from, to))),
    source: 'osrm',
  },
};

describe('road times follow the stops into any order', () => {
  it('reorders the table for the stops as they now stand, start first', () => {
    const matrix = roadMatrixFor(times, ['c', 'a']);
    expect(matrix?.durationsS).toEqual([
      [0, cell(0, 3), cell(0, 1)],
      [cell(3, 0), cell(3, 3), cell(3, 1)],
      [cell(1, 0), cell(1, 3), cell(1, 1)],
    ]);
    expect(matrix?.distancesM[1]?.[2]).toBe(1000 + cell(3, 1));
    expect(matrix?.source).toBe('osrm');
  });

  it('gives nothing for a stop the table never covered, so the estimate is used instead', () => {
    expect(roadMatrixFor(times, ['a', 'd'])).toBeNull();
    expect(roadMatrixFor(null, ['a'])).toBeNull();
  });
});
