import { useCallback, useEffect, useState } from 'react';
import type { OrgKeyHistory } from '../../../shared/trust/org-key';
import { formatMoment } from '../../ui/date-format';
import { useSignedInSession } from '../auth/session-store';
import { FingerprintText } from '../trust/FingerprintText';
import { orgKeyChain, refreshOrgTrust, type OrgKeyLink } from '../trust/trust-data';
import { ModalDialog } from '../../ui/ModalDialog';
import { AdminRequestError, type AdminApi } from './admin-api';

function inWords(error: unknown): string {
  if (error instanceof AdminRequestError) return error.message;
  return `The key history does not check out: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * The organisation signing key: the fingerprint a lessor, an auditor or a court pins to check
 * Reclaim's records, and its rotation. Rotation is by an admin, and is certified both ways (the
 * old key hands over, the new key accepts), so nothing signed before stops verifying.
 */
export function OrgSigningKeySection({ api }: { api: AdminApi }) {
  const session = useSignedInSession();
  const [history, setHistory] = useState<OrgKeyHistory | null>(null);
  const [chain, setChain] = useState<OrgKeyLink[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const next = await api.orgKeyHistory();
      setChain(await orgKeyChain(next));
      setHistory(next);
    } catch (error) {
      setMessage(inWords(error));
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  async function rotate() {
    setBusy(true);
    try {
      const result = await api.rotateOrgKey();
      setConfirming(false);
      setMessage(`Rotated. The organisation now signs with the key ${result.current.fingerprint.slice(0, 16)}…; the retired key ${result.previous.fingerprint.slice(0, 16)}… signed the hand-over, so what it signed still verifies.`);
      await load();
      // This laptop follows the rotation now rather than at its next checkpoint.
      await refreshOrgTrust(session).catch(() => undefined);
    } catch (error) {
      setMessage(inWords(error));
    } finally {
      setBusy(false);
    }
  }

  const earlier = chain.slice(0, -1).reverse();
  return (
    <section className="admin-org-key" aria-labelledby="admin-org-key-title">
      <h2 id="admin-org-key-title">Organisation signing key</h2>
      {message ? (
        <p className="admin-message" role="status">
          {message}
        </p>
      ) : null}
      {history ? (
        <>
          <dl className="admin-org-key-facts">
            <dt>Fingerprint</dt>
            <dd>
              <FingerprintText fingerprint={history.current.fingerprint} label="Organisation key fingerprint" />
            </dd>
            <dt>Algorithm</dt>
            <dd>{history.current.algorithm}</dd>
            <dt>In service</dt>
            <dd>{chain.at(-1)?.from ? `since ${formatMoment(chain.at(-1)?.from ?? '')}` : 'since the organisation was set up'}</dd>
          </dl>
          <p className="admin-muted">
            Give this fingerprint to anyone who must check Reclaim's records: custody bundles, signed reports, and the custody log all verify against it (
            <code>npm run verify -- FILE --org-key FINGERPRINT</code>, or Supervise → Verify a bundle).
          </p>
          {confirming ? (
            <ModalDialog className="admin-rotate-confirm" role="alertdialog" labelledBy="admin-rotate-title" describedBy="admin-rotate-what" onClose={() => setConfirming(false)}>
              <h3 id="admin-rotate-title">Rotate the organisation signing key?</h3>
              <div id="admin-rotate-what">
                <p>A new key is made and signs everything from now on. The current key signs a statement handing over to the new one, and the new key countersigns it. So:</p>
                <ul>
                  <li>Records, bundles and reports signed before the rotation still verify.</li>
                  <li>Auditors and customers who pinned the old fingerprint can follow the chain to the new key; give the new fingerprint to anyone who pins from now on.</li>
                  <li>Laptops follow the rotation at their next sync.</li>
                </ul>
                <p>Rotate when the key may have been exposed, or on your security schedule. It cannot be undone.</p>
              </div>
              <div className="admin-actions">
                <button type="button" className="button-danger" disabled={busy} onClick={() => void rotate()}>
                  {busy ? 'Rotating…' : 'Rotate the key'}
                </button>
                <button type="button" className="button-secondary" disabled={busy} autoFocus onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </div>
            </ModalDialog>
          ) : null}
          {/* Stays while the question is open, so the focus has somewhere to return to. */}
          <button type="button" className="button-secondary" onClick={() => setConfirming(true)}>
            Rotate key…
          </button>
          {earlier.length > 0 ? (
            <>
              <h3>Earlier keys</h3>
              <table className="admin-table" aria-label="Earlier organisation keys">
                <thead>
                  <tr>
                    <th scope="col">Fingerprint</th>
                    <th scope="col">In service</th>
                  </tr>
                </thead>
                <tbody>
                  {earlier.map((link) => (
                    <tr key={link.fingerprint}>
                      <td>
                        <FingerprintText fingerprint={link.fingerprint} label={`Earlier key ${link.fingerprint.slice(0, 8)}`} />
                      </td>
                      <td>
                        {link.from ? formatMoment(link.from) : 'From the start'} – {link.until ? formatMoment(link.until) : 'now'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
        </>
      ) : message ? null : (
        <p role="status">Reading the organisation key…</p>
      )}
    </section>
  );
}
