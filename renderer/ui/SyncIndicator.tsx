import { syncNow } from '../app/sync-runtime';
import { useSyncStatus } from '../sync/sync-status';
import { describeSync } from '../sync/sync-words';
import { formatClockTime } from './date-format';
import './sync-indicator.css';

/**
 * Tells the agent, at a glance and in one line, whether what they typed has reached the office
 * (see describeSync for the states). One line of fixed height that shortens with an ellipsis,
 * so nothing in the header moves when it changes; a problem's details go below the header.
 */
export function SyncIndicator() {
  const status = useSyncStatus((state) => state);
  const words = describeSync(status, formatClockTime);
  return (
    <section className="sync-indicator" data-testid="sync-indicator" data-state={words.state} aria-label="Sync">
      <span className={`sync-dot is-${words.state}`} aria-hidden="true" />
      {/* Seen, not read out: the status below says the same without a number per downloaded page. */}
      <span className="sync-text" title={words.text} aria-hidden="true">
        {words.text}
      </span>
      <span className="visually-hidden" role="status">
        {words.announcement}
      </span>
      <button type="button" className="button-secondary" onClick={() => void syncNow()}>
        Sync now
      </button>
    </section>
  );
}
