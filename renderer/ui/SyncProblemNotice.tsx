import { useSyncStatus } from '../sync/sync-status';

/**
 * Why the last round failed and what to do, in a line under the header (never inside it, so
 * the header keeps its height). Not for the server being out of reach, which the indicator says
 * itself, nor for the custody log alarm and an ended session, which have their own notices.
 */
export function SyncProblemNotice() {
  const error = useSyncStatus((status) => (status.browserOnline ? status.lastError : null));
  if (!error || ['offline', 'custody_log', 'unauthorized', 'session_expired'].includes(error.kind)) return null;
  return (
    <p className="sync-problem" role="status" data-testid="sync-problem">
      {error.message} {error.nextStep}
    </p>
  );
}
