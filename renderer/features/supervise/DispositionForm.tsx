import { useState, type FormEvent, type ReactNode } from 'react';
import { dispositions, type Disposition } from '../../../shared/supervise/disposition';
import type { CustodySearchHit } from '../../../shared/supervise/supervise-api';
import { certificateFields, certificateRequired, checkDraft, dispositionLabels, emptyDraft, fieldLabels, type CertificateField, type DispositionDraft } from './disposition-draft';
import { SuperviseError, type SuperviseClient } from './supervise-client';

type Choice = readonly (readonly [string, string])[];
const choices: Partial<Record<CertificateField, Choice>> = {
  'media.dataBackedUp': [
    ['unknown', 'Unknown'],
    ['yes', 'Yes'],
    ['no', 'No'],
  ],
  'sanitization.method': [
    ['clear', 'Clear (overwrite)'],
    ['purge', 'Purge (block or crypto erase)'],
    ['destroy', 'Destroy (shred, incinerate)'],
  ],
  'sanitization.verification': [
    ['full', 'Full verification'],
    ['quick_sampling', 'Quick sampling'],
    ['other', 'Other'],
  ],
};
const suggestions: Partial<Record<CertificateField, readonly string[]>> = {
  'media.type': ['SSD', 'HDD', 'NVMe SSD', 'eMMC', 'Flash memory', 'NVRAM'],
  'sanitization.technique': ['Overwrite', 'Block erase', 'Cryptographic erase', 'Degauss', 'Shred', 'Disintegrate', 'Incinerate'],
};
const required = new Set<CertificateField>(['media.type', 'sanitization.technique', 'performedBy.name', 'validatedBy.name', 'validatedBy.date']);

const groups: readonly { legend: string; fields: readonly CertificateField[] }[] = [
  { legend: 'Media', fields: ['media.type', 'media.make', 'media.model', 'media.serial', 'media.propertyNumber', 'media.source', 'media.classification', 'media.dataBackedUp'] },
  { legend: 'Sanitization', fields: ['sanitization.method', 'sanitization.technique', 'sanitization.tool', 'sanitization.verification', 'sanitization.postConfidentiality', 'sanitization.destination', 'sanitization.notes'] },
  { legend: 'Person who sanitized', fields: ['performedBy.name', 'performedBy.title', 'performedBy.organization', 'performedBy.location', 'performedBy.phone'] },
  { legend: 'Validation', fields: ['validatedBy.name', 'validatedBy.title', 'validatedBy.organization', 'validatedBy.location', 'validatedBy.phone', 'validatedBy.date'] },
];

function localToday(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

function Labelled({ id, label, error, mandatory, children }: { id: string; label: string; error: string | undefined; mandatory?: boolean; children: ReactNode }) {
  return (
    <div className="supervise-field">
      <label htmlFor={id}>
        {label}
        {mandatory ? <span aria-hidden="true"> *</span> : null}
      </label>
      {children}
      {error ? (
        <span className="form-error" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

/**
 * The item's final disposition, recorded by the server as the chain's last signed event. For a
 * device that may hold data, the certificate of sanitization is part of it, checked here with the
 * server's own schema so mistakes are named before anything is sent.
 */
export function DispositionForm({ client, item, validator, onRecorded, onCancel }: { client: SuperviseClient; item: CustodySearchHit; validator: string; onRecorded: (words: string) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState<DispositionDraft>(() => emptyDraft({ source: `${item.description}, serial ${item.serial}`, validator, today: localToday() }));
  const [errors, setErrors] = useState<readonly { path: string; message: string }[]>([]);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mustCertify = certificateRequired(draft, item.itemType);
  const withCertificate = mustCertify || draft.attachCertificate;
  const errorAt = (path: string) => errors.find((error) => error.path === path)?.message;
  // A field's complaint goes once the field is edited; the rest stay until the next check.
  const forget = (path: string) => setErrors((current) => (current.some((error) => error.path === path) ? current.filter((error) => error.path !== path) : current));
  const set = (change: Partial<DispositionDraft>) => {
    for (const key of Object.keys(change)) forget(key);
    setDraft((current) => ({ ...current, ...change }));
  };
  const setField = (path: CertificateField, value: string) => {
    forget(`certificate.${path}`);
    setDraft((current) => ({ ...current, certificate: { ...current.certificate, [path]: value } }));
  };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setRefusal(null);
    const check = checkDraft(draft, item.itemType);
    if (!check.ok) {
      setErrors(check.errors);
      return;
    }
    setErrors([]);
    setBusy(true);
    try {
      const recorded = await client.recordDisposition(item.itemId, check.request);
      onRecorded(`Recorded: ${dispositionLabels[check.request.disposition].toLowerCase()}, signed with the office key as the last event of the chain.`);
    } catch (error) {
      setRefusal(error instanceof SuperviseError ? error.message : 'The disposition could not be recorded; try again.');
    } finally {
      setBusy(false);
    }
  }

  function certificateField(path: CertificateField) {
    const id = `disposition-${path.replace('.', '-')}`;
    const error = errorAt(`certificate.${path}`);
    const common = { id, value: draft.certificate[path], 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? `${id}-error` : undefined };
    const options = choices[path];
    const listed = suggestions[path];
    return (
      <Labelled key={path} id={id} label={certificateFields[path]} error={error} mandatory={required.has(path)}>
        {options ? (
          <select {...common} onChange={(event) => setField(path, event.target.value)}>
            {common.value === '' ? <option value="">Choose…</option> : null}
            {options.map(([value, words]) => (
              <option key={value} value={value}>
                {words}
              </option>
            ))}
          </select>
        ) : (
          <>
            <input {...common} type={path === 'validatedBy.date' ? 'date' : 'text'} list={listed ? `${id}-list` : undefined} onChange={(event) => setField(path, event.target.value)} />
            {listed ? (
              <datalist id={`${id}-list`}>
                {listed.map((value) => (
                  <option key={value} value={value} />
                ))}
              </datalist>
            ) : null}
          </>
        )}
      </Labelled>
    );
  }

  return (
    <form className="supervise-disposition-form" aria-label="Final disposition" noValidate onSubmit={(event) => void submit(event)}>
      <h3>Record the final disposition of {item.serial}</h3>
      <p className="supervise-muted">It becomes the last event of this item’s chain, signed with your office key. It cannot be changed afterwards; a correction is a new record.</p>
      <div className="supervise-form-grid">
        <Labelled id="disposition-kind" label={fieldLabels.disposition ?? 'Disposition'} error={errorAt('disposition')} mandatory>
          <select
            id="disposition-kind"
            value={draft.disposition}
            aria-invalid={errorAt('disposition') ? true : undefined}
            aria-describedby={errorAt('disposition') ? 'disposition-kind-error' : undefined}
            onChange={(event) => set({ disposition: event.target.value as Disposition | '' })}
          >
            <option value="">Choose what became of it…</option>
            {dispositions.map((value) => (
              <option key={value} value={value}>
                {dispositionLabels[value]}
              </option>
            ))}
          </select>
        </Labelled>
        <Labelled id="disposition-to" label="Received by" error={errorAt('toName')} mandatory>
          <input
            id="disposition-to"
            value={draft.toName}
            placeholder="The client’s returns dock, the recycler, the buyer"
            aria-invalid={errorAt('toName') ? true : undefined}
            aria-describedby={errorAt('toName') ? 'disposition-to-error' : undefined}
            onChange={(event) => set({ toName: event.target.value })}
          />
        </Labelled>
        <Labelled id="disposition-note" label="Note" error={errorAt('note')}>
          <input id="disposition-note" value={draft.note} onChange={(event) => set({ note: event.target.value })} />
        </Labelled>
      </div>
      {mustCertify ? (
        <p className="supervise-certificate-required">
          A {item.itemType?.replace(/_/g, ' ')} may hold data: a certificate of sanitization is required to record it as {draft.disposition === '' ? 'that' : dispositionLabels[draft.disposition].toLowerCase()}.
        </p>
      ) : (
        <label className="supervise-attach">
          <input type="checkbox" checked={draft.attachCertificate} onChange={(event) => set({ attachCertificate: event.target.checked })} /> Attach a certificate of sanitization
        </label>
      )}
      {withCertificate ? (
        <fieldset className="supervise-certificate">
          <legend>Certificate of sanitization (NIST SP 800-88 Rev. 1, Appendix G)</legend>
          {groups.map((group) => (
            <fieldset key={group.legend} className="supervise-certificate-group">
              <legend>{group.legend}</legend>
              <div className="supervise-form-grid">{group.fields.map(certificateField)}</div>
            </fieldset>
          ))}
        </fieldset>
      ) : null}
      {errors.length > 0 ? (
        <div role="alert" className="supervise-form-errors">
          <p>Nothing was recorded. Fix {errors.length === 1 ? 'this field' : `these ${errors.length} fields`}:</p>
          <ul>
            {errors.map((error) => (
              <li key={error.path}>{error.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {refusal ? (
        <p role="alert" className="form-error">
          {refusal}
        </p>
      ) : null}
      <div className="supervise-form-actions">
        <button type="submit" className="button-primary" disabled={busy}>
          {busy ? 'Recording…' : 'Record final disposition'}
        </button>
        <button type="button" className="button-secondary" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
