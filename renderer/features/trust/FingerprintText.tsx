import { useState } from 'react';
import { groupedFingerprint } from './fingerprint-text';
import './trust.css';

/** A fingerprint grouped for reading, with a button that copies the plain 64 hex digits. */
export function FingerprintText({ fingerprint, label }: { fingerprint: string; label: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(fingerprint);
      setCopied('yes');
    } catch {
      // No clipboard permission (an insecure origin): the text can still be selected by hand.
      setCopied('no');
    }
  }

  return (
    <span className="trust-fingerprint">
      <code aria-label={label} data-fingerprint={fingerprint}>
        {groupedFingerprint(fingerprint).map((group, index) => (
          <span key={index}>{group}</span>
        ))}
      </code>
      <button type="button" className="button-secondary" onClick={() => void copy()}>
        Copy
      </button>
      {copied ? (
        <span className="trust-muted" role="status">
          {copied === 'yes' ? 'Copied.' : 'Select it and copy by hand.'}
        </span>
      ) : null}
    </span>
  );
}
