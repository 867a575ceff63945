import { describe, expect, it } from 'vitest';
import { dispositionNote, readDispositionNote } from '../../shared/supervise/disposition';

describe('a disposition sealed into a custody event note', () => {
  it('reads back as recorded, and an ordinary note is not one', () => {
    const note = dispositionNote({ disposition: 'recycled', toName: 'Metro Recycling', note: 'pallet 4', certificate: null });
    expect(readDispositionNote(note)).toEqual({ disposition: 'recycled', note: 'pallet 4', certificate: null });
    expect(readDispositionNote('an ordinary note')).toBeNull();
  });
});
