import type { RecordVerdict } from '../../../shared/supervise/supervise-api';

/** Intact or broken, in words, with the event that broke and why. */
export function VerdictBadge({ verdict }: { verdict: RecordVerdict }) {
  if (verdict.intact) {
    return (
      <p className="supervise-verdict supervise-verdict-intact" data-testid="verdict">
        <strong>Intact</strong> — {verdict.events} events; every hash, signature and link checks out.
      </p>
    );
  }
  return (
    <p className="supervise-verdict supervise-verdict-broken" role="alert" data-testid="verdict">
      <strong>Broken{verdict.eventNumber !== null ? ` at event ${verdict.eventNumber}` : ''}</strong> — {verdict.reason}
    </p>
  );
}
