import { useState, type DragEvent } from 'react';
import { verifyBundleFile, type BundleCheck } from './bundle-verifier';
import { VerdictBadge } from './VerdictBadge';

/** Drop or pick a bundle; it is checked here in the app, with nothing sent to the server. */
export function VerifyBundlePanel() {
  const [check, setCheck] = useState<(BundleCheck & { name: string }) | null>(null);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);

  async function verify(file: File | undefined) {
    if (!file) return;
    setBusy(true);
    setCheck(null);
    try {
      setCheck({ ...(await verifyBundleFile(file)), name: file.name });
    } finally {
      setBusy(false);
    }
  }

  function onDrop(event: DragEvent<HTMLLabelElement>) {
    event.preventDefault();
    setOver(false);
    void verify(event.dataTransfer.files[0]);
  }

  return (
    <section className="supervise-verify" aria-label="Verify a bundle">
      <label
        className={over ? 'supervise-drop supervise-drop-over' : 'supervise-drop'}
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <span>Drop a custody bundle (.zip) here, or choose one.</span>
        <input type="file" accept=".zip,application/zip" aria-label="Bundle to verify" onChange={(event) => void verify(event.target.files?.[0])} />
        <span className="supervise-muted">It is verified on this computer: hashes, device signatures, links between events, and every photo and signature file.</span>
      </label>
      {busy ? <p role="status">Verifying…</p> : null}
      {check ? (
        <div className="supervise-verify-result">
          <p>
            <strong>{check.name}</strong>
            {check.manifest ? ` · generated ${check.manifest.generatedAt} by ${check.manifest.generatedBy}` : ''}
          </p>
          <VerdictBadge verdict={check.verdict} />
          {check.verdict.intact && check.verdict.finalHash ? <p className="supervise-hash">final hash {check.verdict.finalHash}</p> : null}
        </div>
      ) : null}
    </section>
  );
}
