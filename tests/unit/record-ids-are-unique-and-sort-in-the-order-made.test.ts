import { describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids';

/**
 * Ids are UUIDv7 made where the record is made and never change; many are made in one millisecond
 * (a bulk act makes 20,000) from a pool of random bytes, and they must still be unique and sort in
 * the order they were made.
 */
describe('newId', () => {
  it('makes valid version-7 ids, all different, that sort in the order they were made', () => {
    const ids = Array.from({ length: 5_000 }, () => newId());
    for (const id of ids.slice(0, 300)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('carries the time it was made in its first 48 bits', () => {
    const before = Date.now();
    const id = newId();
    const after = Date.now();
    const msecs = Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
    expect(msecs).toBeGreaterThanOrEqual(before);
    // A counter that runs over within one millisecond moves on to the next one.
    expect(msecs).toBeLessThanOrEqual(after + 1);
  });
});
