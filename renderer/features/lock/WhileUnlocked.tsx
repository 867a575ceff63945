import type { ReactNode } from 'react';
import { useLockState } from './lock-store';

/**
 * Renders its children only while the app is unlocked. Locked (or before the stored lock state
 * is read), they are unmounted, not covered: a customer's name or address must not sit in the
 * page behind the lock screen, where a screen reader, the developer tools or a saved page
 * would still find it.
 */
export function WhileUnlocked({ children }: { readonly children: ReactNode }) {
  const open = useLockState((state) => state.loaded && !state.locked);
  return open ? children : null;
}
