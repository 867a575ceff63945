import { lazy, Suspense, useState } from 'react';
import { roleLabels } from '../features/auth/role-labels';
import { SessionExpiredNotice } from '../features/auth/SessionExpiredNotice';
import { useSignedInSession } from '../features/auth/session-store';
import { SignOutButton } from '../features/auth/SignOutButton';
import { JobsWorkspace } from '../features/jobs/JobsWorkspace';
import { IdleLock } from '../features/lock/IdleLock';
import { CustodyLogAlarmBanner } from '../features/trust/CustodyLogAlarmBanner';
import { LockControls } from '../features/lock/LockControls';
import { WhileUnlocked } from '../features/lock/WhileUnlocked';
import { isOfficeRole } from '../../shared/domain/roles';
import { useSyncStatus } from '../sync/sync-status';
import { SyncIndicator } from '../ui/SyncIndicator';
import { SyncProblemNotice } from '../ui/SyncProblemNotice';

// Leaflet, the planner and the base map load only when an agent first opens the route view.
const RouteWorkspace = lazy(() => import('../features/route/RouteWorkspace').then((module) => ({ default: module.RouteWorkspace })));
// Dispatch views are online-only office tools; agents never download them.
const DispatchWorkspace = lazy(() => import('../features/dispatch/DispatchWorkspace').then((module) => ({ default: module.DispatchWorkspace })));
// Users and devices: admins only, online only.
const AdminWorkspace = lazy(() => import('../features/admin/AdminWorkspace').then((module) => ({ default: module.AdminWorkspace })));
// Custody search, exports, the bundle verifier and the figures: supervisors and admins, online.
const SuperviseWorkspace = lazy(() => import('../features/supervise/SuperviseWorkspace').then((module) => ({ default: module.SuperviseWorkspace })));

export function AppShell() {
  const session = useSignedInSession();
  // Only agents plan a day's route; office roles keep the single jobs view.
  const [view, setView] = useState<'jobs' | 'route' | 'dispatch' | 'supervise' | 'admin'>('jobs');
  const canPlanRoutes = session.user.role === 'agent';
  const canDispatch = isOfficeRole(session.user.role);
  const canAdminister = session.user.role === 'admin';
  const canSupervise = session.user.role === 'supervisor' || session.user.role === 'admin';
  const needsSignIn = useSyncStatus(
    (status) => status.lastError?.kind === 'unauthorized' || status.lastError?.kind === 'session_expired',
  );

  return (
    <div className="app-shell">
      <WhileUnlocked>
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
          {canDispatch ? (
            <nav className="app-views" aria-label="Views">
              <button type="button" aria-current={view === 'jobs' ? 'page' : undefined} onClick={() => setView('jobs')}>
                Jobs
              </button>
              <button type="button" aria-current={view === 'dispatch' ? 'page' : undefined} onClick={() => setView('dispatch')}>
                Dispatch
              </button>
              {canSupervise ? (
                <button type="button" aria-current={view === 'supervise' ? 'page' : undefined} onClick={() => setView('supervise')}>
                  Supervise
                </button>
              ) : null}
              {canAdminister ? (
                <button type="button" aria-current={view === 'admin' ? 'page' : undefined} onClick={() => setView('admin')}>
                  Admin
                </button>
              ) : null}
            </nav>
          ) : null}
          <p className="app-user">
            <span className="app-user-name">{session.user.displayName}</span>
            <span className="app-user-role">{roleLabels[session.user.role]}</span>
          </p>
          <SyncIndicator />
          <LockControls />
          <SignOutButton />
        </header>
      </WhileUnlocked>
      <IdleLock />
      <WhileUnlocked>
        <CustodyLogAlarmBanner />
        <SyncProblemNotice />
        {needsSignIn ? <SessionExpiredNotice session={session} /> : null}
        <main className="app-main">
          {canAdminister && view === 'admin' ? (
            <Suspense fallback={<p className="list-message">Opening administration…</p>}>
              <AdminWorkspace />
            </Suspense>
          ) : canSupervise && view === 'supervise' ? (
            <Suspense fallback={<p className="list-message">Opening supervise…</p>}>
              <SuperviseWorkspace />
            </Suspense>
          ) : canDispatch && view === 'dispatch' ? (
            <Suspense fallback={<p className="list-message">Opening dispatch…</p>}>
              <DispatchWorkspace />
            </Suspense>
          ) : canPlanRoutes && view === 'route' ? (
            <Suspense fallback={<p className="list-message">Opening the route planner…</p>}>
              <RouteWorkspace />
            </Suspense>
          ) : (
            <JobsWorkspace />
          )}
        </main>
      </WhileUnlocked>
    </div>
  );
}
