import { useEffect } from 'react';
import { restoreSession } from '../features/auth/session';
import { useSessionState } from '../features/auth/session-store';
import { SignInScreen } from '../features/auth/SignInScreen';
import { AppShell } from './AppShell';

export function App() {
  const state = useSessionState();

  useEffect(() => {
    void restoreSession();
  }, []);

  if (state.status === 'loading') return <p className="list-message">Opening Reclaim…</p>;
  if (state.status === 'signed-out') return <SignInScreen />;
  return <AppShell />;
}
