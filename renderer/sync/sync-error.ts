export const syncErrorKinds = [
  'offline',
  'unauthorized',
  'session_expired',
  'client_too_old',
  'server',
  'invalid_response',
  'quota',
  'clock_drift',
  'rate_limited',
  'device_revoked',
  /** The server's custody log does not extend what it showed before, or is not signed by the organisation key. */
  'custody_log',
] as const;
export type SyncErrorKind = (typeof syncErrorKinds)[number];

/** Kinds that waiting does not fix: the person has to sign in again or update the app. */
const needsPerson: readonly SyncErrorKind[] = ['unauthorized', 'session_expired', 'client_too_old', 'device_revoked'];

/**
 * A failure of talking to the sync server, as a value with words for people: what happened
 * (`message`) and what to do next (`nextStep`). It is shown, never swallowed.
 */
export class SyncError extends Error {
  constructor(
    readonly kind: SyncErrorKind,
    message: string,
    readonly nextStep: string,
    readonly status: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SyncError';
  }

  /** Whether trying again later, unattended, can succeed. */
  get retryable(): boolean {
    return !needsPerson.includes(this.kind);
  }

  /** Both sentences, for a single line in the UI. */
  get inWords(): string {
    return `${this.message} ${this.nextStep}`;
  }
}

function isQuotaError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'QuotaExceededError') return true;
  // Dexie wraps the browser's DOMException in its own error and keeps it as `inner`.
  const inner: unknown = (error as Error & { inner?: unknown }).inner;
  return inner instanceof Error && inner.name === 'QuotaExceededError';
}

/** Turns anything thrown during a sync into a SyncError, keeping the original as the cause. */
export function toSyncError(error: unknown): SyncError {
  if (error instanceof SyncError) return error;
  if (isQuotaError(error)) {
    return new SyncError(
      'quota',
      'This computer has run out of storage space for Reclaim.',
      'Free up disk space, then sync again. Nothing on this device has been lost.',
      null,
      { cause: error },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new SyncError(
    'server',
    `Sync stopped unexpectedly (${detail}).`,
    'It will try again by itself. Your changes stay on this device.',
    null,
    { cause: error },
  );
}
