import type { HybridLogicalClock } from '../shared/sync/hlc';
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
}

export function nowIso(context: Pick<ServerContext, 'now'>): string {
  return context.now().toISOString();
}
