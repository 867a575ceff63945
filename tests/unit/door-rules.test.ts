import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultClientRequirements, effectiveReconciliations, evaluateChecklist } from '../../shared/domain/client-requirements';
import { contactHoursWarning, localTimeIn, objectionViolation, staleOrderWarning } from '../../shared/domain/door-rules';
import type { ItemReconciliation } from '../../shared/domain/evidence';
import { visitOutcomes } from '../../shared/domain/visit';
import { newId } from '../../shared/ids';

describe('contact hours in the customer\'s time zone', () => {
  it('warns before 08:00 and after 21:00 local time, not at the edges', () => {
    // 13:30 UTC in January is 07:30 in Chicago (UTC-6) but 08:30 in New York.
    expect(contactHoursWarning('America/Chicago', new Date('2026-01-15T13:30:00Z'))).toContain('07:30');
    expect(contactHoursWarning('America/New_York', new Date('2026-01-15T13:30:00Z'))).toBeNull();
    expect(contactHoursWarning('America/Chicago', new Date('2026-01-15T14:00:00Z'))).toBeNull();
    expect(contactHoursWarning('America/Chicago', new Date('2026-01-16T03:00:00Z'))).toBeNull();
    expect(contactHoursWarning('America/Chicago', new Date('2026-01-16T03:01:00Z'))).toContain('21:01');
  });

  it('follows daylight saving time', () => {
    // 12:30 UTC is 07:30 CDT in July.
    expect(contactHoursWarning('America/Chicago', new Date('2026-07-15T12:30:00Z'))).not.toBeNull();
    expect(localTimeIn('America/Chicago', new Date('2026-07-15T13:30:00Z')).text).toBe('08:30');
  });

  it('warns exactly when the local minute of the day is outside 08:00–21:00 (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }), (at) => {
        const local = localTimeIn('America/Chicago', at);
        const minutes = local.hour * 60 + local.minute;
        expect(contactHoursWarning('America/Chicago', at) !== null).toBe(minutes < 480 || minutes > 1260);
      }),
    );
  });
});

describe('objection and stale orders', () => {
  it('refuses recovered items only at a visit with an objection', () => {
    for (const outcome of visitOutcomes) {
      expect(objectionViolation(outcome, 'recovered') !== null).toBe(outcome === 'refused_objection');
      expect(objectionViolation(outcome, 'refused')).toBeNull();
    }
  });

  it('warns when the job was last confirmed more than 24 hours ago, or never', () => {
    const now = new Date('2026-03-02T12:00:00Z');
    expect(staleOrderWarning('2026-03-01T12:00:00Z', now)).toBeNull();
    expect(staleOrderWarning('2026-03-01T11:00:00Z', now)).toContain('25 hours');
    expect(staleOrderWarning(null, now)).toContain('never');
    expect(staleOrderWarning('2026-03-02T10:00:00Z', now, 60 * 60 * 1000)).toContain('2 hours');
  });
});

describe('client requirement checklist', () => {
  const jobId = newId();
  const line = (itemId: string, at: string, extra: Partial<ItemReconciliation> = {}): ItemReconciliation => ({
    id: newId(), jobId, visitId: newId(), itemId, status: 'recovered', grade: null, serialSeen: null, serialConfirmedBy: 'typed',
    accessoriesChecked: false, unexpected: null, note: '', overrides: [], at, byUserId: newId(), ...extra,
  });

  it('ticks off each requirement as the evidence arrives', () => {
    const itemId = newId();
    const requirements = { serialPlatePhotoPerRecoveredItem: true, customerSignature: true, conditionGradePerRecoveredItem: true, accessoriesChecked: false };
    const before = evaluateChecklist(requirements, { reconciliations: [line(itemId, '2026-01-01T10:00:00Z')], photos: [], signatures: [] });
    expect(before.map((entry) => entry.met)).toEqual([false, false, false]);
    const after = evaluateChecklist(requirements, {
      reconciliations: [line(itemId, '2026-01-01T10:00:00Z', { grade: 'B' })],
      photos: [{ id: newId(), jobId, subject: 'serial_plate', subjectId: itemId, sha256: 'a'.repeat(64), mimeType: 'image/jpeg', bytes: 1, width: 1, height: 1, capturedAt: '2026-01-01T10:00:00Z', recordedAt: '2026-01-01T10:00:00Z', place: null, byUserId: newId() }],
      signatures: [{ id: newId(), jobId, signerName: 'Dana', signerRole: 'customer', statement: 'I handed over the modem.', sha256: 'b'.repeat(64), mimeType: 'image/png', bytes: 1, signedAt: '2026-01-01T10:00:00Z', place: null, byUserId: newId() }],
    });
    expect(after.every((entry) => entry.met)).toBe(true);
    expect(evaluateChecklist(defaultClientRequirements, { reconciliations: [], photos: [], signatures: [] })).toHaveLength(1);
  });

  it('takes the latest reconciliation of each item', () => {
    const itemId = newId();
    const latest = effectiveReconciliations([line(itemId, '2026-01-01T11:00:00Z', { status: 'missing' }), line(itemId, '2026-01-01T10:00:00Z')]);
    expect(latest).toHaveLength(1);
    expect(latest[0]?.status).toBe('missing');
  });
});
