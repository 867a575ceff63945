import { describe, expect, it } from 'vitest';
import { moveStop, neighbourSlot } from '../../renderer/features/route/stop-order';

describe('rearranging stops around locked ones', () => {
  const order = ['a', 'b', 'c', 'd', 'e'];
  it('moves a stop like a list move when nothing is locked', () => {
    expect(moveStop(order, {}, 0, 2)).toEqual(['b', 'c', 'a', 'd', 'e']);
    expect(moveStop(order, {}, 4, 1)).toEqual(['a', 'e', 'b', 'c', 'd']);
  });
  it('keeps locked stops at their positions', () => {
    const locked = { c: 2 };
    expect(moveStop(order, locked, 0, 4)).toEqual(['b', 'd', 'c', 'e', 'a']);
    expect(moveStop(order, locked, 1, 3)).toEqual(['a', 'd', 'c', 'b', 'e']);
    // A drop onto the locked slot itself stops short of it.
    expect(moveStop(order, locked, 1, 2)).toEqual(order);
    expect(moveStop(order, locked, 2, 0)).toEqual(order);
  });
  it('skips locked slots when moving one step', () => {
    expect(neighbourSlot(order, { c: 2 }, 1, 1)).toBe(3);
    expect(neighbourSlot(order, { a: 0 }, 1, -1)).toBeNull();
  });
});
