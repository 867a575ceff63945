import type { RouteTotals as Totals, TravelMatrix } from '../../../shared/route';
import { formatDistance, formatDuration } from './route-text';

interface RouteTotalsProps {
  readonly totals: Totals;
  /** Where the drive times came from, so the agent knows how far to trust the ETAs. */
  readonly travelSource: TravelMatrix['source'];
  readonly clock: (seconds: number) => string;
}

/** The day at a glance: when it leaves, how far, how long on the road and at doors, when it ends. */
export function RouteTotals({ totals, travelSource, clock }: RouteTotalsProps) {
  return (
    <>
      <dl className="route-totals" aria-label="Day totals">
        <div>
          <dt>Leave</dt>
          <dd data-testid="route-leave">{clock(totals.startS)}</dd>
        </div>
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
      <p className="muted route-travel-source" data-testid="travel-source">
        {travelSource === 'osrm' ? 'Drive times from the routing service (road network).' : 'Drive times estimated from straight-line distance.'}
      </p>
    </>
  );
}
