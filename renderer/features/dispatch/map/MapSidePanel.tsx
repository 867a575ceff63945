import type { MapAgent, MapJobPoint, MapView } from '../../../../shared/dispatch/dispatch-map-api';
import { jobStatuses, jobStatusLabels } from '../../../../shared/domain/job-status';
import { statusColours } from '../../route/map/marker-style';
import { timeAgo } from '../dispatch-text';

interface MapSidePanelProps {
  /** The server's answer for the view: the legend's and the agents' counts are its exact ones. */
  readonly view: MapView | null;
  readonly unplaced: readonly MapJobPoint[];
  readonly agents: readonly MapAgent[];
  readonly placingJobId: string | null;
  readonly onPlacePin: (job: MapJobPoint) => void;
  readonly onShowAgent: (agent: MapAgent) => void;
}

const UNPLACED_SHOWN = 50;

/** The legend, the agents' presence and the jobs still waiting for a pin. */
export function MapSidePanel({ view, unplaced, agents, placingJobId, onPlacePin, onShowAgent }: MapSidePanelProps) {
  const counts = new Map<string, number>(jobStatuses.map((status, i) => [status, view?.byStatus[i] ?? 0]));
  const perAgent = new Map<string, number>((view?.byAgent ?? []).map((entry) => [entry.agentId, entry.count]));
  const unplacedTotal = view?.unplaced.total ?? unplaced.length;

  return (
    <aside className="dispatch-map-side" aria-label="Map details">
      <section aria-labelledby="map-legend-heading">
        <h3 id="map-legend-heading">Legend</h3>
        <ul className="map-legend">
          {jobStatuses.map((status) => (
            <li key={status} className={counts.get(status) ? '' : 'is-empty'}>
              <span className="legend-swatch" style={{ background: statusColours[status] }} />
              {jobStatusLabels[status]}
              <span className="legend-count">{counts.get(status) ?? 0}</span>
            </li>
          ))}
          <li>
            <span className="legend-swatch legend-mixed" />
            Cluster with no majority
          </li>
        </ul>
      </section>

      <section aria-labelledby="map-agents-heading">
        <h3 id="map-agents-heading">Agents</h3>
        <ul className="map-agents">
          {agents.map((agent) => (
            <li key={agent.id}>
              <div className="map-agent-name">
                <strong>{agent.displayName}</strong>
                <span className="muted">{perAgent.get(agent.id) ?? 0} jobs</span>
              </div>
              <div className={`map-agent-sync${agent.lastSyncAt ? '' : ' is-never'}`}>{agent.lastSyncAt ? `Synced ${timeAgo(agent.lastSyncAt)}` : 'Never synced'}</div>
              <div className="muted">
                {agent.lastPosition ? (
                  <>
                    {agent.lastPosition.source === 'visit' ? 'Last fix at a visit' : 'Last at a job they updated'}, {timeAgo(agent.lastPosition.at)}{' '}
                    <button type="button" className="button-link" onClick={() => onShowAgent(agent)}>
                      Show
                    </button>
                  </>
                ) : (
                  'No position yet'
                )}
              </div>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="map-unplaced-heading">
        <h3 id="map-unplaced-heading">
          Needs a pin <span className="legend-count">{unplacedTotal}</span>
        </h3>
        {unplacedTotal === 0 ? <p className="muted">Every job is on the map.</p> : null}
        <ul className="map-unplaced">
          {unplaced.slice(0, UNPLACED_SHOWN).map((job) => (
            <li key={job.id} className={placingJobId === job.id ? 'is-placing' : ''}>
              <div>
                <strong>{job.customerName}</strong>
                <span className="muted">{job.addressLine}</span>
              </div>
              <button type="button" className="button-secondary" onClick={() => onPlacePin(job)} aria-label={`Place pin for ${job.customerName}`}>
                Place pin
              </button>
            </li>
          ))}
          {unplacedTotal > unplaced.length ? <li className="muted">and {unplacedTotal - unplaced.length} more</li> : null}
        </ul>
      </section>
    </aside>
  );
}
