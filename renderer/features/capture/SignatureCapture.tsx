import { useEffect, useRef, useState } from 'react';
import SignaturePad from 'signature_pad';
import type { SignerRole } from '../../../shared/domain/evidence';
import type { SignatureRow } from '../../db/door-tables';
import { currentPlace, doorRepository } from './door-data';
import type { Place } from '../../../shared/domain/visit';
import { prepareSignature, type PreparedImage } from './photo-pipeline';
import { signatureProblem } from './signature-check';
import { typedSignatureStatement } from '../../../shared/domain/customer-refusal';
import { useFocusWhen } from '../../ui/use-focus-when';

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
  /** Set when this pad is the next step after what the user just did: its name field takes the focus. */
  autoFocus?: boolean;
}

/** A signature on the screen, with the signer's printed name, role and the words they sign. */
export function SignatureCapture({ jobId, role, statement: suggested, onSaved, record, autoFocus = false }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const pad = useRef<SignaturePad | null>(null);
  const [name, setName] = useState('');
  const [statement, setStatement] = useState(suggested);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The accessible way to sign: the name typed and the statement explicitly accepted.
  const [typed, setTyped] = useState(false);
  const [accepted, setAccepted] = useState(false);
  const label = roleLabels[role];
  const nameField = useFocusWhen<HTMLInputElement>(autoFocus);

  useEffect(() => setStatement(suggested), [suggested]);
  useEffect(() => {
    if (!canvas.current) return undefined;
    pad.current = new SignaturePad(canvas.current, { minWidth: 0.8, maxWidth: 2.2, penColor: '#111' });
    return () => pad.current?.off();
  }, []);

  async function save() {
    const current = pad.current;
    const element = typed ? typedNameImage(name.trim()) : canvas.current;
    if (!current || !element || busy) return;
    if (typed) {
      if (name.trim().length < 2) return setError(`Type the ${label.toLowerCase()}'s name to sign with it.`);
      if (!accepted) return setError(`The ${label.toLowerCase()} must tick that they accept the statement.`);
    } else {
      const problem = signatureProblem(current.toData(), element.width);
      if (problem) return setError(problem);
    }
    const signedStatement = typed ? typedSignatureStatement(statement) : statement;
    setBusy(true);
    setError(null);
    try {
      const png = await new Promise<Blob>((resolve, reject) => element.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The signature could not be saved as an image.'))), 'image/png'));
      const image = await prepareSignature(png, element.width, element.height);
      const place = await currentPlace();
      if (record) {
        await record.save({ signerName: name, statement: signedStatement, image, place });
      } else {
        const signature = await doorRepository.recordSignature({ jobId, signerName: name, signerRole: role, statement: signedStatement, image, place });
        onSaved?.(signature);
      }
      current.clear();
      setName('');
      setAccepted(false);
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
        <input ref={nameField} value={name} maxLength={200} onChange={(event) => setName(event.target.value)} />
      </label>
      <label>
        Statement the {label.toLowerCase()} signs
        <textarea rows={2} value={statement} onChange={(event) => setStatement(event.target.value)} />
      </label>
      <label className="inline-choice">
        <input type="checkbox" checked={typed} onChange={(event) => setTyped(event.target.checked)} />
        Type name instead of drawing
      </label>
      <canvas ref={canvas} width={480} height={160} className="signature-canvas" aria-label={`${label} signature pad`} hidden={typed} />
      {typed ? (
        <>
          <p className="typed-signature-preview" aria-hidden="true">{name.trim() || ' '}</p>
          <label className="inline-choice">
            <input type="checkbox" checked={accepted} onChange={(event) => setAccepted(event.target.checked)} />
            I, {name.trim() || `the ${label.toLowerCase()}`}, accept the statement above and sign it with my typed name.
          </label>
        </>
      ) : null}
      {error ? <p role="alert" className="form-error">{error}</p> : null}
      <div className="door-actions">
        {typed ? null : <button type="button" className="button-secondary" onClick={() => pad.current?.clear()}>Clear {label.toLowerCase()} signature</button>}
        {/* aria-disabled, not disabled: a disabled button drops the keyboard focus to the page body. */}
        <button type="button" className="button-primary" aria-disabled={busy} onClick={() => void save()}>{record ? record.label : `Save ${label.toLowerCase()} signature`}</button>
      </div>
    </fieldset>
  );
}

/**
 * The typed name drawn as a signature image, so the hash, the upload and the PDF treat it as any
 * other signature; the record's statement says it was typed and accepted.
 */
function typedNameImage(name: string): HTMLCanvasElement {
  const element = document.createElement('canvas');
  element.width = 480;
  element.height = 160;
  const context = element.getContext('2d');
  if (!context) return element;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, element.width, element.height);
  context.fillStyle = '#111';
  context.font = 'italic 40px Georgia, serif';
  context.textBaseline = 'middle';
  context.fillText(name, 20, 70, element.width - 40);
  context.font = '13px sans-serif';
  context.fillStyle = '#444';
  context.fillText('Typed by the signer, who accepted the statement', 20, 135, element.width - 40);
  return element;
}
