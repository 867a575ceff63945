import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

export const DEFAULT_IDLE_LOCK_MINUTES = 10;
export const idleLockChoices = [2, 5, 10, 15, 30, 60] as const;

export interface LockState {
  readonly locked: boolean;
  /** Until the stored lock state is read, the app stays covered. */
  readonly loaded: boolean;
  readonly idleLockMinutes: number;
  /** Shown on the sign-in screen after the app wiped itself, e.g. a revoked device. */
  readonly wipeNotice: string | null;
}

export const lockStore = createStore<LockState>(() => ({ locked: false, loaded: false, idleLockMinutes: DEFAULT_IDLE_LOCK_MINUTES, wipeNotice: null }));

export function useLockState<T>(selector: (state: LockState) => T): T {
  return useStore(lockStore, selector);
}
