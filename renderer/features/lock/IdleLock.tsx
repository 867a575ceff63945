import { useEffect, useState, type FormEvent } from 'react';
import { useSignedInSession } from '../auth/session-store';
import { signOut } from '../auth/session';
import { canLock, loadLockState, lockNow, unlock, wipeWhenRevoked } from './lock-data';
import { useLockState } from './lock-store';
import { watchIdle } from './idle-timer';
import { unlockDelayMs } from './password-verifier';
import './lock.css';

/**
 * Covers the signed-in app after a quiet spell and asks for the password, checked on the laptop
 * itself so it works without signal. It also watches for a revoked device and wipes it.
 */
export function IdleLock() {
  const locked = useLockState((state) => state.locked);
  const minutes = useLockState((state) => state.idleLockMinutes);
  const loaded = useLockState((state) => state.loaded);

  useEffect(() => wipeWhenRevoked(), []);
  useEffect(() => {
    void loadLockState();
  }, []);
  useEffect(() => {
    if (locked || !loaded) return undefined;
    let stop: (() => void) | undefined;
    let cancelled = false;
    void canLock().then((able) => {
      if (able && !cancelled) stop = watchIdle(window, minutes * 60_000, lockNow);
    });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [locked, loaded, minutes]);

  if (!loaded) return <div className="idle-lock" aria-hidden="true" />;
  return locked ? <LockScreen /> : null;
}

function LockScreen() {
  const session = useSignedInSession();
  const [password, setPassword] = useState('');
  const [failures, setFailures] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const wait = unlockDelayMs(failures);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const ok = await unlock(password);
    setBusy(false);
    setPassword('');
    if (ok) return;
    setFailures((count) => count + 1);
    setMessage('That is not the password. Try again, or sign out.');
  }

  async function leave() {
    const result = await signOut({ discardPending: false });
    if (!result.signedOut) setMessage(`${result.pending} change${result.pending === 1 ? '' : 's'} have not synced yet. Unlock to sync them before signing out.`);
  }

  return (
    <div className="idle-lock" role="dialog" aria-modal="true" aria-labelledby="idle-lock-title">
      <form className="idle-lock-card" onSubmit={(event) => void submit(event)}>
        <h2 id="idle-lock-title">Reclaim is locked</h2>
        <p>
          Signed in as <strong>{session.user.displayName}</strong>. Enter your password to carry on; it is checked on this laptop,
          so no signal is needed.
        </p>
        <label>
          Password
          <input type="password" autoComplete="current-password" autoFocus value={password} onChange={(event) => setPassword(event.target.value)} />
        </label>
        {message ? <p className="idle-lock-message" role="alert">{message}</p> : null}
        <div className="idle-lock-actions">
          <button type="submit" className="button-primary" disabled={busy || password.length === 0}>
            {busy ? 'Checking…' : 'Unlock'}
          </button>
          <button type="button" className="button-secondary" onClick={() => void leave()}>
            Sign out
          </button>
        </div>
      </form>
    </div>
  );
}
