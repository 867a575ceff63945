import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syncErrorKinds } from '../../renderer/sync/sync-error';
import { initialSyncStatus, type SyncStatus } from '../../renderer/sync/sync-status';
import { describeSync } from '../../renderer/sync/sync-words';

/** The indicator's words come from one function; these are the promises it makes to the agent. */
const clock = (iso: string) => iso.slice(11, 16);
const status = (fields: Partial<SyncStatus>): SyncStatus => ({ ...initialSyncStatus, browserOnline: true, ...fields });
const unreachable = { kind: 'offline' as const, message: 'The sync server cannot be reached.', nextStep: 'It tries again by itself.' };

describe('the sync indicator', () => {
  it('says offline with what waits, never a sending count, when there is no network', () => {
    const words = describeSync(status({ browserOnline: false, phase: 'syncing', pendingCount: 11, progress: { step: 'pushing', sent: 0, total: 11 } }), clock);
    expect(words).toMatchObject({ state: 'offline', text: 'Offline · 11 changes waiting' });
  });

  it('says the server is out of reach and when it tries again, never synced', () => {
    const words = describeSync(status({ phase: 'error', lastError: unreachable, pendingCount: 1, lastSyncAt: '2026-12-04T13:50:00.000Z', retryAt: '2026-12-04T14:05:00.000Z' }), clock);
    expect(words).toMatchObject({ state: 'unreachable', text: "Can't reach the server — retrying at 14:05 · 1 change waiting" });
  });

  it('counts what it sends and what it downloads', () => {
    expect(describeSync(status({ phase: 'syncing', progress: { step: 'pushing', sent: 100, total: 250 } }), clock).text).toBe('Sending 101 of 250');
    expect(describeSync(status({ phase: 'syncing', progress: { step: 'pulling', received: 4000, total: 10000 } }), clock).text).toBe(
      `Downloading changes: ${(4000).toLocaleString()} of ${(10000).toLocaleString()}`,
    );
  });

  it('says "Synced at" only with nothing waiting, after a round that succeeded', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.constantFrom('idle' as const, 'syncing' as const, 'error' as const),
        fc.nat(20),
        fc.option(fc.constantFrom(...syncErrorKinds)),
        fc.option(fc.constant('2026-12-04T14:02:00.000Z')),
        (browserOnline, phase, pendingCount, errorKind, lastSyncAt) => {
          const lastError = errorKind === null ? null : { kind: errorKind, message: 'm', nextStep: 'n' };
          const words = describeSync(status({ browserOnline, phase, pendingCount, lastError, lastSyncAt }), clock);
          const succeeded = lastError === null || lastError.kind === 'custody_log';
          if (words.text.includes('Synced')) expect(browserOnline && phase !== 'syncing' && pendingCount === 0 && succeeded && lastSyncAt !== null).toBe(true);
          if (browserOnline && phase !== 'syncing' && pendingCount === 0 && succeeded && lastSyncAt !== null) expect(words.text).toBe('Synced at 14:02');
        },
      ),
    );
  });
});
