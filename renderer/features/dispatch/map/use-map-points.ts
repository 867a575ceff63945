import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { MapAgent, MapJobPoint, MapView } from '../../../../shared/dispatch/dispatch-map-api';
import { DispatchError } from '../dispatch-client';
import type { DispatchData } from '../use-dispatch-data';
import { buildJobClusterIndex, isLocated, serverClusterIndex, type JobClusterIndex, type LocatedJob } from './job-clusters';

/** The part of the world the map shows (padded a little, so a small pan needs no new answer). */
export interface MapViewBox {
  readonly west: number;
  readonly south: number;
  readonly east: number;
  readonly north: number;
  readonly zoom: number;
}

export interface DispatchMapPoints {
  /** The jobs in view, one by one; empty when the server answered with clusters. */
  readonly jobs: readonly MapJobPoint[];
  readonly located: readonly LocatedJob[];
  readonly unplaced: readonly MapJobPoint[];
  readonly agents: readonly MapAgent[];
  readonly index: JobClusterIndex;
  /** The server's answer for the view: its exact counts, and whether it came clustered. */
  readonly view: MapView | null;
  readonly loaded: boolean;
  readonly error: string | null;
  readonly reload: () => Promise<void>;
}

function viewQuery(box: MapViewBox, extent: boolean): string {
  const params = new URLSearchParams();
  const round = (degrees: number) => String(Math.round(degrees * 1e4) / 1e4);
  params.set('west', round(Math.max(-180, box.west)));
  params.set('south', round(Math.max(-90, box.south)));
  params.set('east', round(Math.min(180, box.east)));
  params.set('north', round(Math.min(90, box.north)));
  params.set('zoom', String(Math.max(0, Math.min(22, Math.round(box.zoom)))));
  if (extent) params.set('extent', 'true');
  return params.toString();
}

/**
 * The map asks the server for what it shows: the jobs in its view, or the server's clusters when
 * too many are in view to draw one by one. It asks again when the view moves and whenever the
 * dispatch data does (the live feed drives both); an answer for an older view is dropped.
 */
export function useMapPoints(data: DispatchData, box: MapViewBox | null): DispatchMapPoints {
  const [view, setView] = useState<MapView | null>(null);
  const [agents, setAgents] = useState<MapAgent[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [asked, setAsked] = useState(0);
  const key = box ? viewQuery(box, false) : null;
  // The first answer also brings the box around every job, so the map can frame them once.
  const extentAsked = useRef(false);

  useEffect(() => {
    if (box === null) return;
    let current = true;
    const withExtent = !extentAsked.current;
    extentAsked.current = true;
    data.client.mapView(viewQuery(box, withExtent)).then(
      (answer) => {
        if (!current) return;
        setView(answer);
        setError(null);
        setLoaded(true);
      },
      (caught: unknown) => {
        if (!current) return;
        setError(caught instanceof DispatchError ? caught.message : String(caught));
        setLoaded(true);
      },
    );
    return () => {
      current = false;
    };
    // The key is the box as asked: a new box object for the same view asks nothing new.
  }, [data.client, key, data.version, asked]);

  useEffect(() => {
    data.client.mapAgents().then(
      (answer) => setAgents(answer.agents),
      (caught: unknown) => setError(caught instanceof DispatchError ? caught.message : String(caught)),
    );
  }, [data.client, data.version, asked]);

  const reload = useCallback(async () => setAsked((n) => n + 1), []);
  const located = useMemo(() => (view?.jobs ?? []).filter(isLocated), [view]);
  const index = useMemo(() => (view && view.clusters.length > 0 ? serverClusterIndex(view.clusters, box?.zoom ?? 0) : buildJobClusterIndex(located)), [view, located, box?.zoom]);
  return { jobs: view?.jobs ?? [], located, unplaced: view?.unplaced.jobs ?? [], agents, index, view, loaded, error, reload };
}
