import { useEffect, useState } from 'react';
import { useFocusWhen } from '../../ui/use-focus-when';
import type { ShownOutcome } from './use-bulk-act';

/** How long Undo is offered after a bulk act: long enough to see a slip, short enough to mean "just now". */
export const UNDO_SECONDS = 10;

interface Props {
  readonly outcome: ShownOutcome | null;
  readonly busy: boolean;
  readonly onUndo: () => void;
  readonly onDismiss: () => void;
}

/**
 * What a bulk act did, grouped and named, read out by screen readers (a polite live region);
 * the focus lands here once the act is done (its button would otherwise vanish with the
 * selection). Undo counts down while nobody is using the bar, and waits while the focus or the
 * pointer is on it, so a keyboard user is not raced by the clock.
 */
export function BulkOutcomeBar({ outcome, busy, onUndo, onDismiss }: Props) {
  const [left, setLeft] = useState(UNDO_SECONDS);
  const [holding, setHolding] = useState(false);
  const focusRef = useFocusWhen<HTMLDivElement>(outcome?.id);
  const canUndo = outcome !== null && outcome.undoable.length > 0 && left > 0;

  useEffect(() => setLeft(UNDO_SECONDS), [outcome?.id]);
  useEffect(() => {
    if (!outcome || outcome.undoable.length === 0 || left <= 0 || holding) return undefined;
    const timer = setTimeout(() => setLeft((current) => current - 1), 1_000);
    return () => clearTimeout(timer);
  }, [outcome, left, holding]);

  return (
    <div
      className={`bulk-outcome${outcome ? '' : ' is-empty'}`}
      ref={focusRef}
      tabIndex={-1}
      role="group"
      aria-label="Result of the last bulk action"
      onFocus={() => setHolding(true)}
      onBlur={() => setHolding(false)}
      onMouseEnter={() => setHolding(true)}
      onMouseLeave={() => setHolding(false)}
    >
      <div role="status" aria-live="polite" className="bulk-outcome-lines">
        {outcome?.error ? <p className="form-error">{outcome.error}</p> : null}
        {outcome?.lines.map((line) => (
          <p key={line.text} className={`bulk-line bulk-line-${line.kind}`}>
            {line.text}
          </p>
        ))}
      </div>
      {outcome ? (
        <div className="bulk-outcome-actions">
          {canUndo ? (
            <button type="button" className="button-secondary" disabled={busy} onClick={onUndo}>
              Undo <span className="muted">({left} s)</span>
            </button>
          ) : null}
          <button type="button" className="button-link" onClick={onDismiss}>
            Dismiss
          </button>
        </div>
      ) : null}
    </div>
  );
}
