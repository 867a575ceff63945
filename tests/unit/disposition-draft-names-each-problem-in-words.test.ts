import { describe, expect, it } from 'vitest';
import { checkDraft, emptyDraft } from '../../renderer/features/supervise/disposition-draft';

/** The supervisor's disposition form checks with the server's schema and says what to fix, in words. */
const blank = () => emptyDraft({ source: 'Dell Latitude 5440, serial 4GK6K64', validator: 'Priya Raman', today: '2026-11-23' });

describe('a disposition draft', () => {
  it('chooses nothing for the supervisor: a blank draft names the disposition as missing', () => {
    const draft = blank();
    expect(draft.disposition).toBe('');
    expect(draft.certificate['sanitization.method']).toBe('');
    expect(draft.certificate['sanitization.verification']).toBe('');
    const check = checkDraft({ ...draft, toName: 'Metro Recycling' }, 'modem');
    expect(check).toEqual({ ok: false, errors: [{ path: 'disposition', message: 'Disposition: choose one of the options.' }] });
  });

  it('asks for the certificate of a laptop being destroyed, naming each missing field', () => {
    const check = checkDraft({ ...blank(), disposition: 'destroyed' }, 'laptop');
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.errors).toEqual(
      expect.arrayContaining([
        { path: 'toName', message: 'Received by is required.' },
        { path: 'certificate.media.type', message: 'Media type is required.' },
        { path: 'certificate.sanitization.technique', message: 'Technique is required.' },
        { path: 'certificate.performedBy.name', message: 'Sanitized by (name) is required.' },
        { path: 'certificate.sanitization.method', message: 'Method (clear, purge or destroy): choose one of the options.' },
        { path: 'certificate.sanitization.verification', message: 'Verification method: choose one of the options.' },
      ]),
    );
    expect(check.errors).toHaveLength(6);
  });

  it('needs no certificate for a modem, or for a laptop returned to the client', () => {
    const modem = checkDraft({ ...blank(), disposition: 'destroyed', toName: 'Metro Recycling' }, 'modem');
    expect(modem).toMatchObject({ ok: true, request: { disposition: 'destroyed', certificate: null } });
    const returned = checkDraft({ ...blank(), disposition: 'returned_to_client', toName: 'Client dock' }, 'laptop');
    expect(returned).toMatchObject({ ok: true, request: { certificate: null } });
  });

  it('builds the nested certificate the server takes, and names a bad date and an over-long field', () => {
    const draft = blank();
    const filled = {
      ...draft,
      disposition: 'destroyed' as const,
      toName: 'Metro Recycling',
      certificate: { ...draft.certificate, 'sanitization.method': 'purge', 'sanitization.verification': 'full', 'media.type': 'SSD', 'media.make': 'Samsung', 'sanitization.technique': 'Cryptographic erase', 'performedBy.name': 'Ana Ruiz' },
    };
    const check = checkDraft(filled, 'laptop');
    expect(check).toMatchObject({ ok: true, request: { certificate: { media: { type: 'SSD', make: 'Samsung', source: 'Dell Latitude 5440, serial 4GK6K64' }, sanitization: { method: 'purge', verification: 'full' }, validatedBy: { name: 'Priya Raman', date: '2026-11-23' } } } });

    const wrong = checkDraft({ ...filled, certificate: { ...filled.certificate, 'validatedBy.date': '23/11/2026', 'sanitization.notes': 'x'.repeat(201) } }, 'laptop');
    expect(wrong.ok).toBe(false);
    if (wrong.ok) return;
    expect(wrong.errors.map((error) => error.message)).toEqual(['Notes is too long: at most 200 characters.', expect.stringMatching(/^Date of validation must be a date, such as \d{4}-\d{2}-\d{2}\.$/)]);
  });
});
