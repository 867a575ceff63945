import 'leaflet/dist/leaflet.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { MapContainer, useMap } from 'react-leaflet';
import type { MapAgent, MapJobPoint } from '../../../../shared/dispatch/dispatch-map-api';
import { BaseMapLayer, CachedTileLayer, RegionPackLayer } from '../../route/map/map-layers';
import { useRegionPack } from '../../route/map/use-region-pack';
import { useRouteSettings } from '../../route/route-settings';
import { isFinished } from '../../../../shared/dispatch/bulk-action';
import { jobStatusLabels } from '../../../../shared/domain/job-status';
import { nameList, type BulkSubject } from '../bulk-act';
import { BulkConfirmDialog } from '../BulkConfirmDialog';
import { BulkOutcomeBar } from '../BulkOutcomeBar';
import { useBulkAct } from '../use-bulk-act';
import type { DispatchData } from '../use-dispatch-data';
import { idsInArea, type DrawnArea } from './area-selection';
import { AreaSelectTool, type AreaTool } from './AreaSelectTool';
import { JobMarkerLayer } from './job-marker-layer';
import { AgentMarkers, FlyTo, FrameJobsOnce, PinPlacement } from './map-overlays';
import { MapSidePanel } from './MapSidePanel';
import { useMapPoints, type MapViewBox } from './use-map-points';
import './dispatch-map.css';

/** Chicago's Loop, where the demo organisation works: the view before any job loads. */
const initialCentre: [number, number] = [41.8819, -87.6278];

const tools: [AreaTool, string, string][] = [
  ['off', 'Pan', 'Drag to move the map; Shift+drag still selects a box'],
  ['box', 'Select box', 'Drag a box around the jobs to select'],
  ['lasso', 'Lasso', 'Draw freehand around the jobs to select'],
];

/** Tells the map's owner what it shows after every pan and zoom, padded so a nudge asks nothing new. */
function ViewWatcher({ onView }: { readonly onView: (box: MapViewBox) => void }) {
  const map = useMap();
  useEffect(() => {
    const report = () => {
      const bounds = map.getBounds().pad(0.25);
      onView({ west: bounds.getWest(), south: bounds.getSouth(), east: bounds.getEast(), north: bounds.getNorth(), zoom: map.getZoom() });
    };
    report();
    map.on('moveend', report);
    return () => {
      map.off('moveend', report);
    };
  }, [map, onView]);
  return null;
}

/** Jobs on one map, coloured by status, asked of the server view by view; select an area or click jobs, then assign them. */
export function DispatchMap({ data }: { readonly data: DispatchData }) {
  const [box, setBox] = useState<MapViewBox | null>(null);
  const points = useMapPoints(data, box);
  const settings = useRouteSettings((state) => state.settings);
  const regionPack = useRegionPack(settings.regionPackUrl);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [tool, setTool] = useState<AreaTool>('off');
  const [agentId, setAgentId] = useState('');
  const [placing, setPlacing] = useState<MapJobPoint | null>(null);
  const [flyTarget, setFlyTarget] = useState<{ lat: number; lon: number; at: number } | null>(null);

  const { located, reload } = points;
  const [leftOut, setLeftOut] = useState<string | null>(null);
  const bulk = useBulkAct(data, async () => {
    setSelected(new Set());
    await Promise.all([data.refresh(), reload()]);
  });
  // The map holds only its view's jobs; every job seen stays known, so a selection survives a pan.
  const seen = useRef(new Map<string, MapJobPoint>());
  const pointById = useMemo(() => {
    for (const job of points.jobs) seen.current.set(job.id, job);
    return new Map(seen.current);
  }, [points.jobs]);
  // An area adds to the selection, so a dispatcher can gather several neighbourhoods at once.
  // It takes only jobs some act applies to, and says which finished ones it left out.
  const selectArea = useCallback(
    (area: DrawnArea) => {
      const inside = idsInArea(located, area).flatMap((id) => pointById.get(id) ?? []);
      const finished = inside.filter((job) => isFinished(job.status));
      setSelected((current) => new Set([...current, ...inside.filter((job) => !isFinished(job.status)).map((job) => job.id)]));
      setLeftOut(finished.length > 0 ? `Left out ${finished.length} finished (${[...new Set(finished.map((job) => jobStatusLabels[job.status]))].join(', ')}): ${nameList(finished.map((job) => job.customerName))}` : null);
    },
    [located, pointById],
  );
  const toggleJob = useCallback(
    (jobId: string) => {
      const job = pointById.get(jobId);
      if (job && isFinished(job.status)) {
        setLeftOut(`${job.customerName} is ${jobStatusLabels[job.status]}: there is nothing left to assign.`);
        return;
      }
      setSelected((current) => {
        const next = new Set(current);
        if (next.has(jobId)) next.delete(jobId);
        else next.add(jobId);
        return next;
      });
    },
    [pointById],
  );

  const [message, setMessage] = useState<string | null>(null);
  const act = async (run: () => Promise<string>) => {
    setMessage(null);
    try {
      setMessage(await run());
      await Promise.all([data.refresh(), reload()]);
    } catch (caught) {
      setMessage(caught instanceof Error ? caught.message : String(caught));
    }
  };
  const assign = (to: string | null) => {
    const subjects: BulkSubject[] = [...selected].flatMap((id) => {
      const job = pointById.get(id);
      return job ? [{ id, status: job.status, assignedAgentId: job.assignedAgentId, name: job.customerName }] : [];
    });
    setLeftOut(null);
    bulk.start(to === null ? { kind: 'unassign' } : { kind: 'assign', agentId: to }, subjects);
  };

  const placePin = (lat: number, lon: number) => {
    if (!placing) return;
    const job = placing;
    setPlacing(null);
    void act(async () => {
      // The patch carries the whole address; the version guard stops it undoing an edit made meanwhile.
      const { job: current } = await data.client.jobDetail(job.id);
      await data.client.patchJob(job.id, { address: { ...current.address, lat: round(lat), lon: round(lon) }, expectedVersion: current.version });
      return `Pinned ${job.customerName} at ${round(lat)}, ${round(lon)}.`;
    });
  };
  const showAgent = useCallback((agent: MapAgent) => {
    if (agent.lastPosition) setFlyTarget({ lat: agent.lastPosition.lat, lon: agent.lastPosition.lon, at: Date.now() });
  }, []);

  return (
    <section className="dispatch-panel dispatch-map-panel" aria-labelledby="dispatch-map-heading">
      <div className="dispatch-map-toolbar">
        <h2 id="dispatch-map-heading">Map</h2>
        <div className="segmented" role="group" aria-label="Map tool">
          {tools.map(([key, label, hint]) => (
            <button key={key} type="button" title={hint} aria-pressed={tool === key} onClick={() => setTool(key)}>
              {label}
            </button>
          ))}
        </div>
        <span className="map-selection-count" role="status" aria-live="polite">
          {selected.size} selected
        </span>
        <select value={agentId} onChange={(event) => setAgentId(event.target.value)} aria-label="Assign to agent">
          <option value="">Assign to…</option>
          {points.agents.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.displayName} ({agent.username})
            </option>
          ))}
        </select>
        <button type="button" className="button-primary" disabled={bulk.busy || selected.size === 0 || agentId === ''} onClick={() => assign(agentId)}>
          Assign {selected.size > 0 ? selected.size : ''} job{selected.size === 1 ? '' : 's'}
        </button>
        <button type="button" className="button-secondary" disabled={bulk.busy || selected.size === 0} onClick={() => assign(null)}>
          Unassign
        </button>
        <button type="button" className="button-link" disabled={selected.size === 0} onClick={() => setSelected(new Set())}>
          Clear selection
        </button>
        <span className="muted map-hint">
          {(points.view?.total ?? 0).toLocaleString()} jobs on the map
          {points.view && points.view.clusters.length > 0 ? ' · zoom in to see and select them one by one' : ' · Shift+drag selects a box · click a job to add or remove it'}
        </span>
      </div>
      {message ? (
        <p className="dispatch-message" role="status">
          {message}
        </p>
      ) : null}
      {leftOut ? (
        <p className="dispatch-message" role="status">
          {leftOut}
        </p>
      ) : null}
      <BulkOutcomeBar outcome={bulk.outcome} busy={bulk.busy} onUndo={bulk.undo} onDismiss={bulk.dismiss} />
      {bulk.asking ? <BulkConfirmDialog ask={bulk.asking} nameOf={bulk.nameOf} onAnswer={bulk.answer} onCancel={bulk.cancel} /> : null}
      {points.error ? (
        <p className="form-error" role="alert">
          {points.error}
        </p>
      ) : null}
      <div className="dispatch-map-body">
        <div className="dispatch-map-area">
          {placing ? (
            <div className="map-banner" role="status">
              Click the map where <strong>{placing.customerName}</strong> ({placing.addressLine}) is.{' '}
              <button type="button" className="button-link" onClick={() => setPlacing(null)}>
                Cancel
              </button>
            </div>
          ) : null}
          <MapContainer className="dispatch-map" center={initialCentre} zoom={10} boxZoom={false} aria-label="Dispatch map">
            <BaseMapLayer />
            <RegionPackLayer pack={regionPack.pack} />
            <CachedTileLayer template={settings.tileUrl} attribution={settings.tileAttribution} />
            <ViewWatcher onView={setBox} />
            <FrameJobsOnce extent={points.view?.extent ?? null} />
            <FlyTo target={flyTarget} />
            <JobMarkerLayer index={points.index} selected={selected} onToggleJob={toggleJob} />
            <AgentMarkers agents={points.agents} />
            <AreaSelectTool tool={placing ? 'off' : tool} onArea={selectArea} />
            <PinPlacement active={placing !== null} onPlace={placePin} />
          </MapContainer>
        </div>
        <MapSidePanel view={points.view} unplaced={points.unplaced} agents={points.agents} placingJobId={placing?.id ?? null} onPlacePin={setPlacing} onShowAgent={showAgent} />
      </div>
    </section>
  );
}

/** Five decimals is about a metre: more precision than a hand-placed pin has. */
function round(degrees: number): number {
  return Math.round(degrees * 1e5) / 1e5;
}
