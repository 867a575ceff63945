import { lockStore, useLockState } from './lock-store';

/** On the sign-in screen: why this device's data was just removed. */
export function WipeNotice() {
  const notice = useLockState((state) => state.wipeNotice);
  if (!notice) return null;
  return (
    <div className="wipe-notice" role="alert">
      <p>{notice}</p>
      <button type="button" className="button-secondary" onClick={() => lockStore.setState({ wipeNotice: null })}>
        Dismiss
      </button>
    </div>
  );
}
