import type { RouteTotals as Totals } from '../../../shared/route';
import { formatDistance, formatDuration } from './route-text';

/** The day at a glance: how far, how long on the road, how long at doors, when it ends. */
export function RouteTotals({ totals, clock }: { totals: Totals; clock: (seconds: number) => string }) {
  return (
    <dl className="route-totals" aria-label="Day totals">
      <div>
        <dt>Distance</dt>
        <dd>{totals.distanceM === null ? '—' : formatDistance(totals.distanceM)}</dd>
      </div>
      <div>
        <dt>Drive time</dt>
        <dd>{totals.driveS === null ? '—' : formatDuration(totals.driveS)}</dd>
      </div>
      <div>
        <dt>On site</dt>
        <dd>{formatDuration(totals.serviceS)}</dd>
      </div>
      <div>
        <dt>Finish</dt>
        <dd data-testid="route-finish">{clock(totals.finishS)}</dd>
      </div>
    </dl>
  );
}
