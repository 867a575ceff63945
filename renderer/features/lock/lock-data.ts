import { localDb } from '../../app/local-database';
import { stopSync } from '../../app/sync-runtime';
import { readMeta, writeMeta } from '../../db/meta';
import { clearUserData } from '../../db/session-repository';
import { getBridge } from '../../platform/bridge';
import { syncStatusStore, type SyncStatus } from '../../sync/sync-status';
import { sessionStore } from '../auth/session-store';
import { DEFAULT_IDLE_LOCK_MINUTES, lockStore } from './lock-store';
import { createVerifier, passwordMatches } from './password-verifier';

/** Called at sign-in with the password just accepted by the server. */
export async function rememberUnlockPassword(password: string): Promise<void> {
  await writeMeta(localDb, 'unlockVerifier', await createVerifier(password));
  await writeMeta(localDb, 'locked', false);
  lockStore.setState({ locked: false, loaded: true, wipeNotice: null });
}

/** Reads whether the app was locked when it was last closed or reloaded. */
export async function loadLockState(): Promise<void> {
  const [minutes, locked] = await Promise.all([readMeta(localDb, 'idleLockMinutes'), readMeta(localDb, 'locked')]);
  lockStore.setState({ idleLockMinutes: minutes ?? DEFAULT_IDLE_LOCK_MINUTES, locked: locked === true, loaded: true });
}

export async function setIdleLockMinutes(minutes: number): Promise<void> {
  await writeMeta(localDb, 'idleLockMinutes', minutes);
  lockStore.setState({ idleLockMinutes: minutes });
}

/** Whether the lock can check a password here; a session from before the lock existed cannot. */
export async function canLock(): Promise<boolean> {
  return (await readMeta(localDb, 'unlockVerifier')) !== null;
}

export function lockNow(): void {
  lockStore.setState({ locked: true });
  void writeMeta(localDb, 'locked', true);
}

/** Checks the password against the local hash, with no network. */
export async function unlock(password: string): Promise<boolean> {
  const verifier = await readMeta(localDb, 'unlockVerifier');
  if (!verifier || !(await passwordMatches(password, verifier))) return false;
  await writeMeta(localDb, 'locked', false);
  lockStore.setState({ locked: false });
  return true;
}

/**
 * A revoked device removes everything its user had on it, pending changes included: the
 * admin has decided the device is no longer trusted (lost, stolen, or leaving the company).
 */
export async function wipeRevokedDevice(reason: string): Promise<void> {
  stopSync();
  await clearUserData(localDb);
  await getBridge().deleteSecret('session');
  lockStore.setState({ locked: false, wipeNotice: reason });
  sessionStore.setState({ status: 'signed-out' });
}

/** Wipes the device as soon as the sync service reports that the server revoked it. */
export function wipeWhenRevoked(): () => void {
  let wiping = false;
  const react = (status: SyncStatus) => {
    if (wiping || status.lastError?.kind !== 'device_revoked') return;
    wiping = true;
    void wipeRevokedDevice(`${status.lastError.message} ${status.lastError.nextStep}`).finally(() => {
      wiping = false;
    });
  };
  // The first sync after opening the app may have answered before this view subscribed.
  react(syncStatusStore.getState());
  return syncStatusStore.subscribe(react);
}
