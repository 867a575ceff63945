import { useState } from 'react';
import { ModalDialog } from '../../ui/ModalDialog';
import { signOut } from './session';

/** Signing out deletes this user's data from the device, so unsynced changes need a clear yes. */
export function SignOutButton() {
  const [pending, setPending] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);

  async function attempt(discardPending: boolean) {
    setBusy(true);
    try {
      const result = await signOut({ discardPending });
      if (!result.signedOut) setPending(result.pending);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button type="button" className="button-secondary" disabled={busy} onClick={() => void attempt(false)}>
        Sign out
      </button>
      {pending !== null ? (
        <ModalDialog className="confirm-panel" role="alertdialog" labelledBy="sign-out-warning" onClose={() => setPending(null)}>
          <p id="sign-out-warning">
            {pending} change{pending === 1 ? ' has' : 's have'} not synced yet. Signing out now deletes{' '}
            {pending === 1 ? 'it' : 'them'} from this device for good. Connect and sync first if you can.
          </p>
          <div className="confirm-actions">
            <button type="button" className="button-primary" autoFocus onClick={() => setPending(null)}>
              Keep working
            </button>
            <button type="button" className="button-danger" disabled={busy} onClick={() => void attempt(true)}>
              Delete unsynced changes
            </button>
          </div>
        </ModalDialog>
      ) : null}
    </>
  );
}
