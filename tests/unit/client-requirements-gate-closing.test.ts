import { describe, expect, it } from 'vitest';
import {
  ChecklistNotMetError,
  checklistOverrideNote,
  defaultClientRequirements,
  evaluateChecklist,
  requirementsOf,
  type ClientRequirements,
} from '../../shared/domain/client-requirements';
import type { ItemReconciliation } from '../../shared/domain/evidence';
import { Job } from '../../shared/domain/job';

const every: ClientRequirements = { serialPlatePhotoPerRecoveredItem: true, customerSignature: true, conditionGradePerRecoveredItem: true, accessoriesChecked: true };

const recovered = (grade: ItemReconciliation['grade']): ItemReconciliation => ({
  id: '0190a0a0-0000-7000-8000-000000000001',
  jobId: '0190a0a0-0000-7000-8000-000000000002',
  visitId: '0190a0a0-0000-7000-8000-000000000003',
  itemId: '0190a0a0-0000-7000-8000-000000000004',
  status: 'recovered',
  grade,
  serialSeen: 'SN1',
  serialConfirmedBy: 'typed',
  accessoriesChecked: false,
  unexpected: null,
  note: '',
  overrides: [],
  at: '2026-01-01T10:00:00Z',
  byUserId: '0190a0a0-0000-7000-8000-000000000005',
});

describe('the client checklist gates closing', () => {
  it('lets a met checklist close with no note', () => {
    const lines = evaluateChecklist({ ...defaultClientRequirements, customerSignature: false }, { reconciliations: [], photos: [], signatures: [] });
    expect(checklistOverrideNote(lines, '')).toBeNull();
  });

  it('refuses an unmet checklist without a reason, naming what is missing', () => {
    const lines = evaluateChecklist(every, { reconciliations: [recovered(null)], photos: [], signatures: [] });
    expect(() => checklistOverrideNote(lines, '  ')).toThrow(ChecklistNotMetError);
    expect(() => checklistOverrideNote(lines, undefined)).toThrow(/not graded/);
  });

  it('keeps what was missing and the reason when the agent goes ahead', () => {
    const lines = evaluateChecklist(every, { reconciliations: [recovered('B')], photos: [], signatures: [] });
    const note = checklistOverrideNote(lines, ' Plate painted over ');
    expect(note).toContain('without a serial-plate photo');
    expect(note).toContain('no customer signature yet');
    expect(note).toContain('accessories not checked');
    expect(note).not.toContain('not graded');
    expect(note).toMatch(/Reason: Plate painted over$/);
  });

  it('holds a job to its client\'s requirements, or the default when it carries none (an older server)', () => {
    expect(requirementsOf({})).toEqual(defaultClientRequirements);
    expect(requirementsOf({ clientRequirements: every })).toEqual(every);
    expect(Job.shape.clientRequirements.safeParse(undefined).success).toBe(true);
  });
});
