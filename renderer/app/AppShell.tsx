import { roleLabels } from '../features/auth/role-labels';
import { SessionExpiredNotice } from '../features/auth/SessionExpiredNotice';
import { useSignedInSession } from '../features/auth/session-store';
import { SignOutButton } from '../features/auth/SignOutButton';
import { JobsWorkspace } from '../features/jobs/JobsWorkspace';
import { useSyncStatus } from '../sync/sync-status';
import { SyncIndicator } from '../ui/SyncIndicator';

export function AppShell() {
  const session = useSignedInSession();
  const needsSignIn = useSyncStatus(
    (status) => status.lastError?.kind === 'unauthorized' || status.lastError?.kind === 'session_expired',
  );

  return (
    <div className="app-shell">
      <header className="app-header">
        <h1 className="app-name">Reclaim</h1>
        <p className="app-user">
          <span className="app-user-name">{session.user.displayName}</span>
          <span className="app-user-role">{roleLabels[session.user.role]}</span>
        </p>
        <SyncIndicator />
        <SignOutButton />
      </header>
      {needsSignIn ? <SessionExpiredNotice session={session} /> : null}
      <main className="app-main">
        <JobsWorkspace />
      </main>
    </div>
  );
}
