import { useEffect, useRef } from 'react';
import { createWedgeDetector } from './wedge-scanner';

/**
 * Listens for a keyboard-wedge scanner anywhere on the screen. The scan's keys still reach the
 * focused field (we cannot know it is a scan until Enter), so the Enter that ends a scan is
 * swallowed to keep it from submitting whatever form has the focus.
 */
export function useWedgeScanner(onScan: (text: string) => void): void {
  const latest = useRef(onScan);
  latest.current = onScan;
  useEffect(() => {
    const detector = createWedgeDetector();
    const listener = (event: KeyboardEvent) => {
      const scanned = detector.feed(event.key, event.timeStamp);
      if (scanned === null) return;
      event.preventDefault();
      event.stopPropagation();
      latest.current(scanned);
    };
    window.addEventListener('keydown', listener, true);
    return () => window.removeEventListener('keydown', listener, true);
  }, []);
}
