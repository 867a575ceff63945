import { useEffect, useId, useState, type DragEvent } from 'react';
import type { BundlePin, BundleVerdict } from '../../../shared/trust/bundle-verdict';
import { formatMoment } from '../../ui/date-format';
import { useSignedInSession } from '../auth/session-store';
import { normalizedFingerprint } from '../trust/fingerprint-text';
import { FingerprintText } from '../trust/FingerprintText';
import { refreshOrgTrust, useOrgTrust } from '../trust/trust-data';
import { verifyCustodyFile } from './bundle-verifier';
import { BundleVerdictView } from './BundleVerdictView';

type PinChoice = 'ours' | 'other';

/**
 * Drop or pick a bundle; it is checked here in the app, with nothing sent to the server, by the
 * same verifier as `npm run verify`. It is pinned to this organisation's key by default (the
 * one this laptop trusted at sign-in), or to a fingerprint typed in for another organisation's.
 */
export function VerifyBundlePanel() {
  const session = useSignedInSession();
  const trust = useOrgTrust();
  const [choice, setChoice] = useState<PinChoice>('ours');
  const [typed, setTyped] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [check, setCheck] = useState<{ name: string; verdict: BundleVerdict } | null>(null);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  const typedId = useId();

  useEffect(() => {
    // Signed in before the key could be pinned (an older server, or a lost answer): pin it now.
    if (trust === null) void refreshOrgTrust(session).catch(() => undefined);
  }, [trust, session]);

  const ours = trust?.pinnedFingerprint ?? null;
  const other = normalizedFingerprint(typed);
  const pin: BundlePin | 'invalid' = choice === 'ours' ? (ours ? { fingerprint: ours } : null) : other ? { fingerprint: other } : 'invalid';

  async function verify(next: File | null) {
    if (!next || pin === 'invalid') return;
    setBusy(true);
    setCheck(null);
    try {
      setCheck({ name: next.name, verdict: await verifyCustodyFile(next, pin) });
    } finally {
      setBusy(false);
    }
  }

  function choose(next: File | undefined) {
    setFile(next ?? null);
    void verify(next ?? null);
  }

  function onDrop(event: DragEvent<HTMLLabelElement>) {
    event.preventDefault();
    setOver(false);
    choose(event.dataTransfer.files[0]);
  }

  return (
    <section className="supervise-verify" aria-label="Verify a bundle">
      <fieldset className="supervise-pin">
        <legend>Check against the key of</legend>
        <label className="supervise-pin-choice">
          <input type="radio" name="pin" checked={choice === 'ours'} onChange={() => setChoice('ours')} />
          <span>
            This organisation
            {trust ? (
              <span className="supervise-muted">
                {' '}
                — the key this laptop trusted on {formatMoment(trust.pinnedAt)}
                {trust.history.current.fingerprint !== trust.pinnedFingerprint ? ', since rotated by a signed hand-over' : ''}
              </span>
            ) : null}
          </span>
        </label>
        {choice === 'ours' ? (
          ours ? (
            <FingerprintText fingerprint={ours} label="Pinned organisation fingerprint" />
          ) : (
            <p className="supervise-muted" role="status">
              {trust === undefined ? 'Reading the pinned key…' : 'This laptop has not pinned its organisation key yet; it does so when it can reach the server.'}
            </p>
          )
        ) : null}
        <label className="supervise-pin-choice">
          <input type="radio" name="pin" checked={choice === 'other'} onChange={() => setChoice('other')} />
          <span>Another organisation</span>
        </label>
        {choice === 'other' ? (
          <div className="supervise-pin-other">
            <label htmlFor={typedId}>Its fingerprint (64 hexadecimal digits, as printed on its reports)</label>
            <input
              id={typedId}
              className="supervise-fingerprint-input"
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
              spellCheck={false}
              autoComplete="off"
              placeholder="1f4e 79a0 …"
              aria-invalid={typed !== '' && !other}
            />
            {typed !== '' && !other ? <p className="supervise-muted">A fingerprint is 64 digits 0–9 and a–f; spaces and colons are ignored.</p> : null}
          </div>
        ) : null}
      </fieldset>
      <label
        className={over ? 'supervise-drop supervise-drop-over' : 'supervise-drop'}
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <span>Drop a custody bundle (.zip) or a signed custody report (.pdf) here, or choose one.</span>
        <input type="file" accept=".zip,application/zip,.pdf,application/pdf" aria-label="Bundle or report to verify" onChange={(event) => choose(event.target.files?.[0])} />
        <span className="supervise-muted">
          It is verified on this computer: the report's PDF signature, the organisation's signature, every file, each event's hash, device signature and certificate, its place in the custody log, and the links between events.
        </span>
      </label>
      {file && !busy ? (
        <button type="button" className="button-primary" disabled={pin === 'invalid'} onClick={() => void verify(file)}>
          Verify {file.name} again with this key
        </button>
      ) : null}
      {busy ? <p role="status">Verifying…</p> : null}
      {check ? (
        <div className="supervise-verify-result">
          <p>
            <strong>{check.name}</strong>
          </p>
          <BundleVerdictView verdict={check.verdict} />
        </div>
      ) : null}
    </section>
  );
}
