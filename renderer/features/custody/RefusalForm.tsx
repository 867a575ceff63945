import { refusalAttestation, type RefusalKind } from '../../../shared/domain/customer-refusal';
import type { PhotoRow } from '../../db/door-tables';
import { formatClockTime } from '../../ui/date-format';

/** What the agent has filled in so far; turned into a signed refusal when the collection is recorded. */
export interface RefusalDraft {
  kind: RefusalKind;
  customerName: string;
  reason: string;
  witnessName: string;
  photoHashes: string[];
  attested: boolean;
}

export const emptyRefusal: RefusalDraft = { kind: 'declined', customerName: '', reason: '', witnessName: '', photoHashes: [], attested: false };

interface Props {
  draft: RefusalDraft;
  onChange: (draft: RefusalDraft) => void;
  agentName: string;
  photos: readonly PhotoRow[];
}

/**
 * The customer will not or cannot sign: the agent records why, attests to it, and may name a
 * witness and point at photos taken of the refusal. Everything here is signed into the collection.
 */
export function RefusalForm({ draft, onChange, agentName, photos }: Props) {
  const set = (change: Partial<RefusalDraft>) => onChange({ ...draft, ...change });
  const attestation = refusalAttestation(agentName, draft.customerName.trim() || 'the customer', draft.kind);
  return (
    <fieldset className="refusal-form" data-testid="refusal-form">
      <legend>Customer did not sign</legend>
      <div role="radiogroup" aria-label="Why there is no signature">
        <label className="inline-choice">
          <input type="radio" name="refusal-kind" checked={draft.kind === 'declined'} onChange={() => set({ kind: 'declined' })} />
          The customer declined to sign
        </label>
        <label className="inline-choice">
          <input type="radio" name="refusal-kind" checked={draft.kind === 'cannot_sign'} onChange={() => set({ kind: 'cannot_sign' })} />
          The customer cannot sign
        </label>
      </div>
      <label>
        Customer's name
        <input value={draft.customerName} maxLength={200} onChange={(event) => set({ customerName: event.target.value })} />
      </label>
      <label>
        Reason, in the customer's words or yours
        <textarea rows={2} maxLength={500} value={draft.reason} onChange={(event) => set({ reason: event.target.value })} />
      </label>
      <label>
        Witness's name (optional)
        <input value={draft.witnessName} maxLength={200} onChange={(event) => set({ witnessName: event.target.value })} />
      </label>
      {photos.length > 0 ? (
        <fieldset>
          <legend>Photos of the refusal (optional)</legend>
          {photos.map((photo, index) => (
            <label key={photo.id} className="inline-choice">
              <input
                type="checkbox"
                checked={draft.photoHashes.includes(photo.sha256)}
                onChange={(event) => set({ photoHashes: event.target.checked ? [...draft.photoHashes, photo.sha256] : draft.photoHashes.filter((hash) => hash !== photo.sha256) })}
              />
              Photo {index + 1}, taken {formatClockTime(photo.capturedAt)}
            </label>
          ))}
        </fieldset>
      ) : (
        <p className="muted">To keep a photo of the refusal, take it under Photos first; it can then be attached here.</p>
      )}
      <label className="inline-choice">
        <input type="checkbox" checked={draft.attested} onChange={(event) => set({ attested: event.target.checked })} />
        <span>{attestation}</span>
      </label>
    </fieldset>
  );
}
