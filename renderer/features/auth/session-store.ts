import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { StoredSession } from '../../db/meta';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; session: StoredSession };

export const sessionStore = createStore<SessionState>(() => ({ status: 'loading' }));

export function useSessionState(): SessionState {
  return useStore(sessionStore);
}

/** The signed-in session; only for components rendered inside the signed-in app. */
export function useSignedInSession(): StoredSession {
  const state = useStore(sessionStore);
  if (state.status !== 'signed-in') throw new Error('useSignedInSession outside a signed-in view');
  return state.session;
}
