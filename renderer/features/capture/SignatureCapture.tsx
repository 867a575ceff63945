import { useEffect, useRef, useState } from 'react';
import SignaturePad from 'signature_pad';
import type { SignerRole } from '../../../shared/domain/evidence';
import type { SignatureRow } from '../../db/door-tables';
import { currentPlace, doorRepository } from './door-data';
import type { Place } from '../../../shared/domain/visit';
import { prepareSignature, type PreparedImage } from './photo-pipeline';
import { signatureProblem } from './signature-check';

const roleLabels: Record<SignerRole, string> = { customer: 'Customer', agent: 'Agent', warehouse_clerk: 'Warehouse clerk', carrier: 'Carrier' };

/** A signature as drawn and named, before any record is made of it. */
export interface SignedImage {
  signerName: string;
  statement: string;
  image: PreparedImage;
  place: Place | null;
}

interface Props {
  jobId: string;
  role: SignerRole;
  statement: string;
  onSaved?: (signature: SignatureRow) => void;
  /**
   * Records the signature together with what it signs for (e.g. belongings returned), in one
   * write, instead of as a job signature on its own; the pad then names that act on its button.
   */
  record?: { label: string; save: (signed: SignedImage) => Promise<void> };
}

/** A signature on the screen, with the signer's printed name, role and the words they sign. */
export function SignatureCapture({ jobId, role, statement: suggested, onSaved, record }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const pad = useRef<SignaturePad | null>(null);
  const [name, setName] = useState('');
  const [statement, setStatement] = useState(suggested);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const label = roleLabels[role];

  useEffect(() => setStatement(suggested), [suggested]);
  useEffect(() => {
    if (!canvas.current) return undefined;
    pad.current = new SignaturePad(canvas.current, { minWidth: 0.8, maxWidth: 2.2, penColor: '#111' });
    return () => pad.current?.off();
  }, []);

  async function save() {
    const current = pad.current;
    const element = canvas.current;
    if (!current || !element) return;
    const problem = signatureProblem(current.toData(), element.width);
    if (problem) return setError(problem);
    setBusy(true);
    setError(null);
    try {
      const png = await new Promise<Blob>((resolve, reject) => element.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The signature could not be saved as an image.'))), 'image/png'));
      const image = await prepareSignature(png, element.width, element.height);
      const place = await currentPlace();
      if (record) {
        await record.save({ signerName: name, statement, image, place });
      } else {
        const signature = await doorRepository.recordSignature({ jobId, signerName: name, signerRole: role, statement, image, place });
        onSaved?.(signature);
      }
      current.clear();
      setName('');
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The signature could not be saved.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <fieldset className="signature-capture">
      <legend>{label} signature</legend>
      <label>
        {label}'s printed name
        <input value={name} maxLength={200} onChange={(event) => setName(event.target.value)} />
      </label>
      <label>
        Statement the {label.toLowerCase()} signs
        <textarea rows={2} value={statement} onChange={(event) => setStatement(event.target.value)} />
      </label>
      <canvas ref={canvas} width={480} height={160} className="signature-canvas" aria-label={`${label} signature pad`} />
      {error ? <p role="alert" className="form-error">{error}</p> : null}
      <div className="door-actions">
        <button type="button" className="button-secondary" onClick={() => pad.current?.clear()}>Clear {label.toLowerCase()} signature</button>
        <button type="button" disabled={busy} onClick={() => void save()}>{record ? record.label : `Save ${label.toLowerCase()} signature`}</button>
      </div>
    </fieldset>
  );
}
