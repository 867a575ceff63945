import type { HybridLogicalClock } from '../shared/sync/hlc';
import type { BlobStore } from './blobs/blob-store';
import type { ChangeNotifications } from './cluster/change-notifications';
import type { LoginThrottlePolicy } from './security/login-throttle';
import type { RequestLimits } from './security/request-limits';
import type { Store } from './store/database';
import type { OfficeKeyVault } from './supervise/office-key-vault';
import type { OrgSigningKey } from './trust/org-signing-key';

/** What every request handler may use: the store, the clocks and the server's settings. */
export interface ServerContext {
  readonly store: Store;
  /** Wall clock; tests move it to expire sessions without waiting. */
  readonly now: () => Date;
  /** Orders every change the server makes or accepts; refuses clients whose clocks run ahead. */
  readonly clock: HybridLogicalClock;
  readonly sessionTtlMs: number;
  /** However often it is refreshed, a session ends this long after the password was typed. */
  readonly sessionMaxLifetimeMs: number;
  /** Photos and signatures by SHA-256: dataDir/blobs by default, an S3 bucket when configured. */
  readonly blobs: BlobStore;
  /** Wakes live views when any instance on the same database commits a change. */
  readonly changeNotifications: ChangeNotifications;
  /** The live feed's polling interval when nothing wakes it; its default when absent. */
  readonly livePollMs?: number;
  /** A Nominatim-compatible geocoder for imported addresses without coordinates; none when unset. */
  readonly geocoderUrl?: string | undefined;
  /** Region packs (PMTiles map files) the organisation hosts for its operating areas. */
  readonly regionDir: string;
  /** Seals the office users' private signing keys at rest (RECLAIM_KEY_ENCRYPTION_KEY or a key file). */
  readonly officeKeys: OfficeKeyVault;
  /** The organisation's signing key (one per database, sealed with officeKeys' key-encryption key). */
  readonly orgKey: OrgSigningKey;
  /** Failed sign-in limits; the defaults when absent. */
  readonly loginThrottle?: LoginThrottlePolicy;
  /** Request timeouts and live-stream limits; the defaults when absent. */
  readonly requestLimits?: RequestLimits;
}

export function nowIso(context: Pick<ServerContext, 'now'>): string {
  return context.now().toISOString();
}
