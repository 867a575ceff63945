import { useState } from 'react';
import { formatMoment } from '../../ui/date-format';
import { useCustodyLogAlarm } from './trust-data';
import './trust.css';

/**
 * Shown on every screen while the server's custody log cannot be trusted: it stays until the
 * server offers a checkpoint that extends the one this laptop holds. Sync goes on meanwhile.
 */
export function CustodyLogAlarmBanner() {
  const alarm = useCustodyLogAlarm();
  const [open, setOpen] = useState(false);
  if (!alarm) return null;
  return (
    <section className="trust-alarm" role="alert" aria-label="Custody log warning" data-testid="custody-log-alarm">
      <p>
        <strong>{alarm.message}</strong> {alarm.nextStep}
      </p>
      <button type="button" className="button-secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide details' : 'Details for the office'}
      </button>
      {open ? (
        <div className="trust-alarm-detail">
          <p>{alarm.detail}</p>
          <p>Detected {formatMoment(alarm.detectedAt)}.</p>
          {alarm.heldNote ? (
            <>
              <h3>Checkpoint this laptop holds</h3>
              <pre>{alarm.heldNote}</pre>
            </>
          ) : null}
          {alarm.offeredNote ? (
            <>
              <h3>Checkpoint the server offered</h3>
              <pre>{alarm.offeredNote}</pre>
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
