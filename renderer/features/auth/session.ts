import { localDb } from '../../app/local-database';
import { startSync, stopSync, syncNow } from '../../app/sync-runtime';
import { ensureDeviceId } from '../../db/device';
import {
  clearUserData,
  countPendingMutations,
  loadStoredSession,
  saveStoredSession,
} from '../../db/session-repository';
import type { StoredSession } from '../../db/meta';
import { getBridge } from '../../platform/bridge';
import { createApiClient } from '../../sync/api-client';
import { pinOrganisationKey } from '../../sync/org-trust';
import { SyncError } from '../../sync/sync-error';
import { ensureDeviceKey, keepSignInKey, makeSignInKey } from '../custody/device-key';
import { rememberUnlockPassword, wipeRevokedDevice } from '../lock/lock-data';
import { sessionStore } from './session-store';

/**
 * Opens the app from what is stored, with no network: an agent who signed in once can work
 * all day offline. An expired token only shows up when sync tries to use it.
 */
export async function restoreSession(): Promise<void> {
  const session = await loadStoredSession(localDb);
  if (!session) {
    sessionStore.setState({ status: 'signed-out' });
    return;
  }
  sessionStore.setState({ status: 'signed-in', session });
  startSync(session);
}

export async function getDefaultServerUrl(): Promise<string | null> {
  return (await getBridge().getAppInfo()).defaultServerUrl;
}

export interface SignInInput {
  serverUrl: string;
  username: string;
  password: string;
}

function deviceName(platform: string): string {
  const os = typeof navigator === 'undefined' ? 'unknown system' : navigator.platform || 'unknown system';
  return `Reclaim ${platform} on ${os}`.slice(0, 128);
}

/** Thrown when someone else's unsynced changes are still on this device. */
export class OtherUserPendingError extends Error {
  constructor(readonly pending: number) {
    super(`${pending} change${pending === 1 ? '' : 's'} by the previous user have not synced yet. Sign in as that user to sync them first.`);
    this.name = 'OtherUserPendingError';
  }
}

/**
 * Signs in, or signs in again after the session expired. Local data is kept when the same user
 * comes back; another user's data is removed first, since jobs hold customers' personal data.
 */
export async function signIn(input: SignInInput): Promise<StoredSession> {
  const bridge = getBridge();
  const api = createApiClient({ baseUrl: input.serverUrl, getToken: async () => null });
  // The custody signing key is made before the request and offered with it: the server registers
  // it with the sign-in, so the first sync has nothing to push before it pulls. A platform without
  // Ed25519 still signs in, and the recorder tries again at the first custody event and says why
  // it cannot.
  const [deviceId, appInfo, signInKey] = await Promise.all([
    ensureDeviceId(localDb),
    bridge.getAppInfo(),
    makeSignInKey().catch((error: unknown) => {
      console.warn('No custody signing key yet:', error);
      return null;
    }),
  ]);
  const response = await api
    .login({
      username: input.username.trim(),
      password: input.password,
      deviceId,
      deviceName: deviceName(appInfo.platform),
      ...(signInKey ? { deviceKey: signInKey.offer } : {}),
    })
    .catch(async (error: unknown) => {
      // A revoked device wipes itself at its first contact, signed in or not.
      if (error instanceof SyncError && error.kind === 'device_revoked') await wipeRevokedDevice(error.inWords);
      throw error;
    });
  const previous = await loadStoredSession(localDb);
  if (previous && previous.user.id !== response.user.id) {
    const pending = await countPendingMutations(localDb);
    if (pending > 0) throw new OtherUserPendingError(pending);
    await clearUserData(localDb);
  }
  const session: StoredSession = { user: response.user, expiresAt: response.expiresAt, serverUrl: api.baseUrl };
  const signedInApi = createApiClient({ baseUrl: api.baseUrl, getToken: () => bridge.getSecret('session') });
  // The password check for unlocking offline is a key derivation, deliberately slow (about 0.1 s
  // here), that runs off the main thread. The first sync does not need it, so it runs beside the
  // sync instead of before it; sign-in still finishes only once it is stored.
  const unlockStored = rememberUnlockPassword(input.password);
  unlockStored.catch(() => undefined);
  const registered = signInKey !== null && response.deviceKey?.id === signInKey.offer.id && response.deviceKey.registered;
  await Promise.all([
    bridge.setSecret('session', response.token),
    saveStoredSession(localDb, session),
    // the organisation key, pinned now, on first use, so that every checkpoint of the custody log
    // this laptop pulls can be checked against it; the sign-in's answer carries its history (an
    // older server's does not: it is asked for); not reachable: the sync engine pins it at the
    // first checkpoint instead;
    pinOrganisationKey(localDb, { orgKeyHistory: async () => response.orgKeyHistory ?? (await signedInApi.orgKeyHistory()) }, crypto.subtle).catch((error: unknown) =>
      console.warn('Organisation key not pinned yet:', error),
    ),
    // the key the device holds for this user, or the one just offered (queued for sync should
    // the server not have registered it), so its registration precedes any event it signs.
    (signInKey ? keepSignInKey(localDb, { userId: response.user.id, deviceId }, signInKey, registered) : ensureDeviceKey(localDb, response.user.id)).catch((error: unknown) =>
      console.warn('No custody signing key yet:', error),
    ),
  ]);
  startSync(session);
  try {
    await unlockStored;
  } catch (error) {
    // A sign-in that could not finish leaves no sync running behind the sign-in form.
    stopSync();
    throw error;
  }
  sessionStore.setState({ status: 'signed-in', session });
  return session;
}

export type SignOutResult = { signedOut: true } | { signedOut: false; pending: number };

/**
 * Signing out removes this user's data from the device. With changes still waiting it refuses
 * unless the person confirmed that those changes will be lost.
 */
export async function signOut(options: { discardPending: boolean }): Promise<SignOutResult> {
  // Push what is waiting first, so signing out loses nothing when the server is reachable;
  // offline, the count below is what the warning shows.
  if (!options.discardPending) await syncNow().catch(() => undefined);
  const pending = await countPendingMutations(localDb);
  if (pending > 0 && !options.discardPending) return { signedOut: false, pending };
  const bridge = getBridge();
  const session = await loadStoredSession(localDb);
  stopSync();
  if (session) {
    const api = createApiClient({ baseUrl: session.serverUrl, getToken: () => bridge.getSecret('session'), timeoutMs: 5_000 });
    // Revoking the token on the server is a courtesy; offline, the local sign-out still happens.
    await api.logout().catch((error: unknown) => {
      if (!(error instanceof SyncError)) throw error;
    });
  }
  await clearUserData(localDb);
  await bridge.deleteSecret('session');
  sessionStore.setState({ status: 'signed-out' });
  return { signedOut: true };
}

export function countWaitingChanges(): Promise<number> {
  return countPendingMutations(localDb);
}
