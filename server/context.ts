import type { HybridLogicalClock } from '../shared/sync/hlc';
import type { LoginThrottlePolicy } from './security/login-throttle';
import type { Store } from './store/database';

/** What every request handler may use: the store, the clocks and the server's settings. */
export interface ServerContext {
  readonly store: Store;
  /** Wall clock; tests move it to expire sessions without waiting. */
  readonly now: () => Date;
  /** Orders every change the server makes or accepts; refuses clients whose clocks run ahead. */
  readonly clock: HybridLogicalClock;
  readonly sessionTtlMs: number;
  readonly blobDir: string;
  /** A Nominatim-compatible geocoder for imported addresses without coordinates; none when unset. */
  readonly geocoderUrl?: string | undefined;
  /** Region packs (PMTiles map files) the organisation hosts for its operating areas. */
  readonly regionDir: string;
  /** Failed sign-in limits; the defaults when absent. */
  readonly loginThrottle?: LoginThrottlePolicy;
}

export function nowIso(context: Pick<ServerContext, 'now'>): string {
  return context.now().toISOString();
}
