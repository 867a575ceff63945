import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../shared/custody/canonical-json';
import {
  checklistBlocksClosing,
  checklistOverrideNote,
  ChecklistNotMetError,
  defaultClientRequirements,
  evaluateChecklist,
  overrideNoteIn,
  reviewClosing,
  withRefusal,
  type ClientRequirements,
} from '../../shared/domain/client-requirements';
import {
  isTypedSignature,
  readRefusalNote,
  REFUSAL_NOTE_PREFIX,
  refusalAttestation,
  refusalInWords,
  refusalNote,
  typedSignatureStatement,
  type CustomerRefusal,
} from '../../shared/domain/customer-refusal';
import type { ItemReconciliation } from '../../shared/domain/evidence';

const refusal: CustomerRefusal = {
  kind: 'declined',
  customerName: 'Dana Customer',
  reason: 'Says the lease was paid off',
  attestation: refusalAttestation('Alex Agent', 'Dana Customer', 'declined'),
  agentName: 'Alex Agent',
  witnessName: 'Sam Neighbour',
  photoHashes: ['a'.repeat(64)],
  otherMissing: null,
};

const recovered = (grade: ItemReconciliation['grade']): ItemReconciliation => ({
  id: '0190a0a0-0000-7000-8000-000000000001',
  jobId: '0190a0a0-0000-7000-8000-000000000002',
  visitId: '0190a0a0-0000-7000-8000-000000000003',
  itemId: '0190a0a0-0000-7000-8000-000000000004',
  status: 'recovered',
  grade,
  serialSeen: 'SN1',
  serialConfirmedBy: 'typed',
  accessoriesChecked: true,
  unexpected: null,
  note: '',
  overrides: [],
  at: '2026-01-01T10:00:00Z',
  byUserId: '0190a0a0-0000-7000-8000-000000000005',
});

describe('the refusal note', () => {
  it('is the prefix and RFC 8785 JSON, and reads back to what was written', () => {
    const note = refusalNote(refusal);
    expect(note.startsWith(REFUSAL_NOTE_PREFIX)).toBe(true);
    expect(note.slice(REFUSAL_NOTE_PREFIX.length)).toBe(canonicalize(refusal));
    expect(readRefusalNote(note)).toEqual(refusal);
  });

  it('is the same bytes whatever order the fields were given in, so the signed hash is stable', () => {
    const reordered = Object.fromEntries(Object.entries(refusal).reverse()) as CustomerRefusal;
    expect(refusalNote(reordered)).toBe(refusalNote(refusal));
  });

  it('says it in words: the reason, who attested and the witness', () => {
    expect(refusalInWords(refusal)).toBe('Customer declined to sign: Says the lease was paid off; attested by Alex Agent; witness Sam Neighbour; 1 photo');
    expect(refusalInWords({ ...refusal, kind: 'cannot_sign', witnessName: null, photoHashes: [] })).toBe(
      'Customer could not sign: Says the lease was paid off; attested by Alex Agent; no witness',
    );
  });

  it('is refused without a reason, and is not read from other notes or a broken one', () => {
    expect(() => refusalNote({ ...refusal, reason: ' ' })).toThrow(/reason/);
    expect(readRefusalNote('Client requirements overridden. Missing: x. Reason: y')).toBeNull();
    expect(readRefusalNote(`${REFUSAL_NOTE_PREFIX}{"kind":"declined"`)).toBeNull();
    expect(readRefusalNote(`${REFUSAL_NOTE_PREFIX}${canonicalize({ ...refusal, kind: 'vanished' })}`)).toBeNull();
    expect(readRefusalNote(null)).toBeNull();
  });
});

describe('a refusal on the client checklist', () => {
  const signatureOnly = evaluateChecklist(defaultClientRequirements, { reconciliations: [recovered('A')], photos: [], signatures: [] });

  it('turns the missing signature into an override with its reason, which no longer blocks', () => {
    expect(checklistBlocksClosing(signatureOnly)).toBe(true);
    const lines = withRefusal(signatureOnly, refusal);
    const line = lines.find((each) => each.key === 'customerSignature');
    expect(line).toMatchObject({ met: false, override: 'Customer declined to sign: Says the lease was paid off' });
    expect(checklistBlocksClosing(lines)).toBe(false);
    expect(checklistOverrideNote(lines, '')).toBeNull();
  });

  it('still asks for a reason for the rest of the checklist', () => {
    const every: ClientRequirements = { ...defaultClientRequirements, conditionGradePerRecoveredItem: true };
    const lines = withRefusal(evaluateChecklist(every, { reconciliations: [recovered(null)], photos: [], signatures: [] }), refusal);
    expect(checklistBlocksClosing(lines)).toBe(true);
    expect(() => checklistOverrideNote(lines, '')).toThrow(ChecklistNotMetError);
    expect(checklistOverrideNote(lines, 'No light to grade')).toBe('Client requirements overridden. Missing: 1 recovered item not graded. Reason: No light to grade');
  });

  it('counts on the server as an override with the refusal as reason, not as an unmet close', () => {
    const review = reviewClosing(signatureOnly, refusalNote(refusal));
    expect(review).toEqual({
      kind: 'overridden',
      note: 'Client requirements overridden. Missing: no customer signature (Customer declined to sign: Says the lease was paid off; attested by Alex Agent; witness Sam Neighbour; 1 photo). Reason: Says the lease was paid off',
    });
    expect(overrideNoteIn(refusalNote(refusal))).toBe(review.kind === 'overridden' ? review.note : null);
  });
});

describe('a typed signature', () => {
  it('is marked in its statement, once', () => {
    const statement = typedSignatureStatement('I hand over SN1 to Alex Agent.');
    expect(isTypedSignature({ statement })).toBe(true);
    expect(typedSignatureStatement(statement)).toBe(statement);
    expect(isTypedSignature({ statement: 'I hand over SN1 to Alex Agent.' })).toBe(false);
  });
});
