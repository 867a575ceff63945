import { useLiveQuery } from 'dexie-react-hooks';
import { trustedOrgKeys, type OrgKeyHistory } from '../../../shared/trust/org-key';
import { localDb } from '../../app/local-database';
import { readMeta, type StoredSession } from '../../db/meta';
import type { CustodyLogAlarm, OrgTrust } from '../../db/trust-records';
import { getBridge } from '../../platform/bridge';
import { createApiClient } from '../../sync/api-client';
import { pinOrganisationKey, type PinOutcome } from '../../sync/org-trust';

/** The organisation key this laptop pinned; `undefined` while loading, null when none yet. */
export function useOrgTrust(): OrgTrust | null | undefined {
  return useLiveQuery(() => readMeta(localDb, 'orgTrust'), []);
}

/** The custody log alarm while it stands; null when the server's log checks out. */
export function useCustodyLogAlarm(): CustodyLogAlarm | null | undefined {
  return useLiveQuery(() => readMeta(localDb, 'custodyLogAlarm'), []);
}

/**
 * Pins the organisation key now (the first time) or follows its signed rotations: after an
 * admin rotates, or when sign-in could not reach the key.
 */
export function refreshOrgTrust(session: StoredSession): Promise<PinOutcome> {
  const api = createApiClient({ baseUrl: session.serverUrl, getToken: () => getBridge().getSecret('session') });
  return pinOrganisationKey(localDb, api, crypto.subtle);
}

/** One key of the organisation's chain, newest last, as the admin and the verifier show it. */
export interface OrgKeyLink {
  readonly fingerprint: string;
  /** When it took over by a rotation; null for the organisation's first key. */
  readonly from: string | null;
  /** When a rotation retired it; null for the key in service. */
  readonly until: string | null;
}

/** The chain of keys a history shows, each rotation checked (signed by both keys). */
export async function orgKeyChain(history: OrgKeyHistory): Promise<OrgKeyLink[]> {
  const keys = await trustedOrgKeys(crypto.subtle, history.current.fingerprint, history);
  return keys.map(({ fingerprint, from, until }) => ({ fingerprint, from, until }));
}
