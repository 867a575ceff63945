/** Input that counts as the person being at the laptop. */
const activityEvents = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Calls `onIdle` after `timeoutMs` without input. Checks against the wall clock as well as the
 * timer, because a laptop that slept with the lid shut fires its timers late.
 */
export function watchIdle(target: Pick<Window, 'addEventListener' | 'removeEventListener'>, timeoutMs: number, onIdle: () => void, now: () => number = Date.now): () => void {
  let lastActivity = now();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = (delay: number) => {
    clearTimeout(timer);
    timer = setTimeout(check, delay);
  };
  function check() {
    const idleFor = now() - lastActivity;
    if (idleFor >= timeoutMs) onIdle();
    else schedule(timeoutMs - idleFor);
  }
  const onActivity = () => {
    lastActivity = now();
  };
  const onWake = () => {
    if (typeof document !== 'undefined' && document.visibilityState === 'visible') check();
  };

  for (const name of activityEvents) target.addEventListener(name, onActivity, { passive: true, capture: true });
  target.addEventListener('visibilitychange', onWake);
  schedule(timeoutMs);
  return () => {
    clearTimeout(timer);
    for (const name of activityEvents) target.removeEventListener(name, onActivity, { capture: true });
    target.removeEventListener('visibilitychange', onWake);
  };
}
