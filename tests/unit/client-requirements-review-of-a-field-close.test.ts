import { describe, expect, it } from 'vitest';
import { checklistFlagIn, checklistOverrideNote, replaceChecklistFlag, reviewClosing, type ChecklistLine } from '../../shared/domain/client-requirements';

const met: ChecklistLine = { key: 'customerSignature', label: "The customer's signature", met: true, missing: null };
const unsigned: ChecklistLine = { key: 'customerSignature', label: "The customer's signature", met: false, missing: 'no customer signature yet' };
const ungraded: ChecklistLine = { key: 'conditionGradePerRecoveredItem', label: 'A condition grade for each recovered item', met: false, missing: '2 recovered items not graded' };
const objection = 'The customer objected at the door; review before any further visit.';

describe('the server’s review of a close from the field', () => {
  it('passes a met checklist whatever came with it', () => {
    expect(reviewClosing([met], null)).toEqual({ kind: 'met' });
    expect(reviewClosing([met], 'any words')).toEqual({ kind: 'met' });
  });

  it('keeps the app’s own override note as it was signed, and turns a plain reason into one', () => {
    const note = checklistOverrideNote([unsigned], 'Customer left in a hurry') ?? '';
    expect(reviewClosing([unsigned], note)).toEqual({ kind: 'overridden', note });
    expect(reviewClosing([unsigned, ungraded], ' Customer left in a hurry ')).toEqual({
      kind: 'overridden',
      note: 'Client requirements overridden. Missing: no customer signature yet; 2 recovered items not graded. Reason: Customer left in a hurry',
    });
  });

  it('flags an unmet checklist with no reason (or one too short to be one), naming every missing line', () => {
    for (const recorded of [null, '', ' ok ']) {
      expect(reviewClosing([met, unsigned, ungraded], recorded)).toEqual({
        kind: 'unmet',
        flag: "Closed without the client's requirements: no customer signature yet; 2 recovered items not graded; no reason was recorded.",
      });
    }
  });

  it('adds, replaces and lifts its own sentence in a review reason and leaves any other reason alone', () => {
    const first = reviewClosing([unsigned, ungraded], null);
    const later = reviewClosing([ungraded], null);
    if (first.kind !== 'unmet' || later.kind !== 'unmet') throw new Error('both unmet');
    const flagged = replaceChecklistFlag(objection, first.flag);
    expect(flagged).toBe(`${objection} ${first.flag}`);
    expect(checklistFlagIn(flagged)).toBe(first.flag);
    expect(replaceChecklistFlag(flagged, first.flag)).toBe(flagged);
    expect(replaceChecklistFlag(flagged, later.flag)).toBe(`${objection} ${later.flag}`);
    expect(replaceChecklistFlag(flagged, null)).toBe(objection);
    expect(replaceChecklistFlag(first.flag, null)).toBeNull();
    expect(replaceChecklistFlag(null, null)).toBeNull();
    expect(replaceChecklistFlag(objection, null)).toBe(objection);
  });
});
