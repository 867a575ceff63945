import { lazy, Suspense, useState } from 'react';
import { roleLabels } from '../features/auth/role-labels';
import { SessionExpiredNotice } from '../features/auth/SessionExpiredNotice';
import { useSignedInSession } from '../features/auth/session-store';
import { SignOutButton } from '../features/auth/SignOutButton';
import { JobsWorkspace } from '../features/jobs/JobsWorkspace';
import { useSyncStatus } from '../sync/sync-status';
import { SyncIndicator } from '../ui/SyncIndicator';

// Leaflet, the planner and the base map load only when an agent first opens the route view.
const RouteWorkspace = lazy(() => import('../features/route/RouteWorkspace').then((module) => ({ default: module.RouteWorkspace })));

export function AppShell() {
  const session = useSignedInSession();
  // Only agents plan a day's route; office roles keep the single jobs view.
  const [view, setView] = useState<'jobs' | 'route'>('jobs');
  const canPlanRoutes = session.user.role === 'agent';
  const needsSignIn = useSyncStatus(
    (status) => status.lastError?.kind === 'unauthorized' || status.lastError?.kind === 'session_expired',
  );

  return (
    <div className="app-shell">
      <header className="app-header">
        <h1 className="app-name">Reclaim</h1>
        {canPlanRoutes ? (
          <nav className="app-views" aria-label="Views">
            <button type="button" aria-current={view === 'jobs' ? 'page' : undefined} onClick={() => setView('jobs')}>
              Jobs
            </button>
            <button type="button" aria-current={view === 'route' ? 'page' : undefined} onClick={() => setView('route')}>
              Route
            </button>
          </nav>
        ) : null}
        <p className="app-user">
          <span className="app-user-name">{session.user.displayName}</span>
          <span className="app-user-role">{roleLabels[session.user.role]}</span>
        </p>
        <SyncIndicator />
        <SignOutButton />
      </header>
      {needsSignIn ? <SessionExpiredNotice session={session} /> : null}
      <main className="app-main">
        {canPlanRoutes && view === 'route' ? (
          <Suspense fallback={<p className="list-message">Opening the route planner…</p>}>
            <RouteWorkspace />
          </Suspense>
        ) : (
          <JobsWorkspace />
        )}
      </main>
    </div>
  );
}
