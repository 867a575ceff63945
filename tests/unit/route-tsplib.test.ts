import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { euc2dDistance, euc2dMatrix, parseTsplib, TsplibParseError } from '../../shared/route/tsplib';

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/tsplib', `${name}.tsp`), 'utf8');

describe('TSPLIB reader', () => {
  it.each([
    ['berlin52', 52, 7542, { x: 565, y: 575 }],
    ['kroA100', 100, 21282, { x: 1380, y: 939 }],
    ['ch150', 150, 6528, { x: 37.4393516691, y: 541.2090699418 }],
  ])('reads %s with its stated optimum', (name, dimension, optimum, first) => {
    const instance = parseTsplib(fixture(name));
    expect(instance.name).toBe(name);
    expect(instance.dimension).toBe(dimension);
    expect(instance.coordinates).toHaveLength(dimension);
    expect(instance.optimum).toBe(optimum);
    expect(instance.coordinates[0]).toEqual(first);
  });

  it('rounds EUC_2D distances to the nearest whole number, as TSPLIB does', () => {
    expect(euc2dDistance({ x: 0, y: 0 }, { x: 3, y: 4 })).toBe(5);
    expect(euc2dDistance({ x: 0, y: 0 }, { x: 1, y: 1 })).toBe(1);
    expect(euc2dDistance({ x: 0, y: 0 }, { x: 1.5, y: 1.5 })).toBe(2);
    const matrix = euc2dMatrix(parseTsplib(fixture('berlin52')));
    expect(matrix[0]?.[1]).toBe(666);
  });

  it('reads an optimum stated in the comment when there is no OPTIMUM key', () => {
    const text = 'NAME: tiny\nCOMMENT: optimal tour length 4\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 0 2\nEOF\n';
    expect(parseTsplib(text).optimum).toBe(4);
  });

  it('says in words what is wrong with a file it cannot use', () => {
    const explicit = 'NAME: x\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_SECTION\n0 1\n';
    expect(() => parseTsplib(explicit)).toThrow(TsplibParseError);
    expect(() => parseTsplib('NAME: x\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 1 1\nEOF')).toThrow(
      /DIMENSION is 3 but NODE_COORD_SECTION holds 2 nodes/,
    );
    expect(() => parseTsplib('NAME: x\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 zero\n')).toThrow(/line 5/);
  });
});
