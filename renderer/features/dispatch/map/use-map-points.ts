import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MapAgent, MapJobPoint } from '../../../../shared/dispatch/dispatch-map-api';
import { DispatchError } from '../dispatch-client';
import type { DispatchData } from '../use-dispatch-data';
import { buildJobClusterIndex, isLocated, type JobClusterIndex, type LocatedJob } from './job-clusters';

export interface DispatchMapPoints {
  readonly jobs: readonly MapJobPoint[];
  readonly located: readonly LocatedJob[];
  readonly unplaced: readonly MapJobPoint[];
  readonly agents: readonly MapAgent[];
  readonly index: JobClusterIndex;
  readonly loaded: boolean;
  readonly error: string | null;
  readonly reload: () => Promise<void>;
}

/**
 * The map's own compact feed. It reloads whenever the dispatch data does (the live feed drives
 * both), and the cluster index is rebuilt only then, never on a pan or zoom.
 */
export function useMapPoints(data: DispatchData): DispatchMapPoints {
  const [points, setPoints] = useState<{ jobs: MapJobPoint[]; agents: MapAgent[] }>({ jobs: [], agents: [] });
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setPoints(await data.client.mapPoints());
      setError(null);
    } catch (caught) {
      setError(caught instanceof DispatchError ? caught.message : String(caught));
    } finally {
      setLoaded(true);
    }
  }, [data.client]);

  useEffect(() => {
    void reload();
  }, [reload, data.version]);

  const located = useMemo(() => points.jobs.filter(isLocated), [points.jobs]);
  const unplaced = useMemo(() => points.jobs.filter((job) => !isLocated(job)), [points.jobs]);
  const index = useMemo(() => buildJobClusterIndex(located), [located]);
  return { jobs: points.jobs, located, unplaced, agents: points.agents, index, loaded, error, reload };
}
