import { useEffect, useRef, type RefObject } from 'react';

/**
 * A ref whose element takes the keyboard focus once for each new truthy `request`: after an
 * action removes the control that was pressed, the focus lands on the next step instead of
 * falling to the page body, where a keyboard or screen-reader user is lost. The element may
 * appear a render or two after the request (when the saved record comes back from the local
 * database), so every render checks. It needs to be focusable: a control, or tabIndex={-1}.
 */
export function useFocusWhen<T extends HTMLElement>(request: unknown): RefObject<T | null> {
  const ref = useRef<T | null>(null);
  const served = useRef<unknown>(null);
  useEffect(() => {
    if (!request || served.current === request || !ref.current) return;
    served.current = request;
    ref.current.focus();
  });
  return ref;
}
