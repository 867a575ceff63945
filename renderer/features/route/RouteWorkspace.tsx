import type L from 'leaflet';
import { useCallback, useMemo, useState } from 'react';
import { useSignedInSession } from '../auth/session-store';
import { JobPicker } from './JobPicker';
import { addCalendarDays, clockToDaySeconds, dayInZone, daySecondsToClock } from '../../../shared/domain/time-zone';
import { dayIsNearlyOver } from '../../../shared/route';
import { deviceZone, formatClockTime, formatLongCalendarDate } from '../../ui/date-format';
import { RegionPackPanel } from './map/RegionPackPanel';
import { RouteMap, type MapStop } from './map/RouteMap';
import { SaveAreaPanel } from './map/SaveAreaPanel';
import type { LatLonBounds } from './map/tile-math';
import { useRegionPack } from './map/use-region-pack';
import { useRoadRouting } from './road-times';
import { clearPlan, exportDayGpx, openStopInNavigation, optimizeDay, plannedStops, resolveStart, savePlan, scheduleDay, usePlannableJobs, useSavedPlan } from './route-data';
import { firstDepartureS } from './route-request';
import { useRouteSettings } from './route-settings';
import { RouteSettingsPanel } from './RouteSettingsPanel';
import { RouteTotals } from './RouteTotals';
import { StopList } from './StopList';
import { moveStop } from './stop-order';
import './route.css';

/** Plan the day: pick jobs, optimise, rearrange, and take the day to the road. */
export function RouteWorkspace() {
  const session = useSignedInSession();
  const agentId = session.user.id;
  const settings = useRouteSettings((state) => state.settings);
  const jobs = usePlannableJobs();
  const jobsById = useMemo(() => new Map((jobs ?? []).map((job) => [job.id, job] as const)), [jobs]);
  // The day is the agent's calendar day where the jobs are; the demo's jobs share one zone.
  const timeZone = jobs?.[0]?.timeZone ?? deviceZone;
  const today = dayInZone(Date.now(), timeZone);
  // Late in the afternoon a plan for today fits little; the agent may plan tomorrow instead.
  const [forTomorrow, setForTomorrow] = useState(false);
  const day = forTomorrow ? addCalendarDays(today, 1) : today;
  const todayNearlyOver = dayIsNearlyOver(firstDepartureS(today, timeZone, settings.dayStart, Date.now()), clockToDaySeconds(settings.dayEnd, today, timeZone));
  const plan = useSavedPlan(agentId, day);
  const [picked, setPicked] = useState<Set<string> | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [view, setView] = useState<{ bounds: LatLonBounds; zoom: number } | null>(null);
  const regionPack = useRegionPack(settings.regionPackUrl);

  // The saved plan's picks come back after a restart; until the agent changes them.
  const pickedIds = picked ?? new Set(plan?.jobIds ?? []);
  // With a routing service: road times for the ETAs and the road line for the map; without, estimates and straight lines.
  const routing = useRoadRouting(settings, plan?.start ?? null, plannedStops(plan, jobsById), plan?.optimizedAt ?? null);
  const daySchedule = useMemo(() => (plan ? scheduleDay(plan, jobsById, settings, routing.times) : null), [plan, jobsById, settings, routing.times]);
  const clock = useCallback((seconds: number) => daySecondsToClock(seconds, day, plan?.timeZone ?? timeZone), [day, plan?.timeZone, timeZone]);

  const onView = useCallback((next: { bounds: L.LatLngBounds; zoom: number }) => {
    setView({
      bounds: { south: next.bounds.getSouth(), west: next.bounds.getWest(), north: next.bounds.getNorth(), east: next.bounds.getEast() },
      zoom: next.zoom,
    });
  }, []);

  const optimize = async () => {
    const chosen = (jobs ?? []).filter((job) => pickedIds.has(job.id));
    if (chosen.length === 0) return;
    setBusy(true);
    setNotice(null);
    try {
      const { start, note } = await resolveStart(settings, chosen);
      if (!start) {
        setNotice(note);
        return;
      }
      const outcome = await optimizeDay({ agentId, day, timeZone, start, jobs: chosen, lockedPositions: plan?.lockedPositions ?? {}, settings });
      setPicked(null);
      // A routing service that does not answer is said once, by the routing notice below.
      setNotice(note);
    } catch (error) {
      setNotice(`The route could not be planned: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBusy(false);
    }
  };

  const rearrange = (from: number, to: number) => {
    if (!plan) return;
    void savePlan({ ...plan, order: moveStop(plan.order, plan.lockedPositions, from, to) });
  };
  const toggleLock = (jobId: string, position: number) => {
    if (!plan) return;
    const locks = { ...plan.lockedPositions };
    if (locks[jobId] === undefined) locks[jobId] = position;
    else delete locks[jobId];
    void savePlan({ ...plan, lockedPositions: locks });
  };

  const brokenIds = new Set(daySchedule?.schedule.broken.map((rule) => rule.stopId) ?? []);
  const mapStops: MapStop[] = (daySchedule?.stops ?? []).flatMap((job, i) =>
    job.address.lat !== null && job.address.lon !== null
      ? [{ job: { ...job, address: { ...job.address, lat: job.address.lat, lon: job.address.lon } }, eta: daySchedule?.schedule.visits[i] ? clock(daySchedule.schedule.visits[i].arrivalS) : null, broken: brokenIds.has(job.id) }]
      : [],
  );
  const dayRules = daySchedule?.schedule.broken.filter((rule) => rule.stopId === null) ?? [];

  return (
    <div className="route-workspace">
      <section className="route-sidebar" aria-labelledby="route-heading">
        <header className="route-sidebar-header">
          <h2 id="route-heading">Route for {formatLongCalendarDate(day)}</h2>
          <div className="route-toolbar">
            <button type="button" className="button-primary" disabled={busy || pickedIds.size === 0} onClick={() => void optimize()}>
              {busy ? 'Optimizing…' : 'Optimize'}
            </button>
            {plan && daySchedule ? (
              <button type="button" className="button-secondary" onClick={() => void exportDayGpx(plan, daySchedule)}>
                Export GPX
              </button>
            ) : null}
            {plan ? (
              <button type="button" className="button-link" onClick={() => void clearPlan(agentId, day).then(() => setPicked(new Set()))}>
                Clear plan
              </button>
            ) : null}
          </div>
        </header>
        {!forTomorrow && todayNearlyOver ? (
          <div className="route-notice route-day-choice" role="status">
            <p>
              It is {formatClockTime(new Date().toISOString(), timeZone)} and the working day ends at {settings.dayEnd}: little of today is left to plan.
            </p>
            <button type="button" className="button-primary" onClick={() => setForTomorrow(true)}>
              Plan for tomorrow
            </button>
          </div>
        ) : null}
        {forTomorrow ? (
          <div className="route-notice route-day-choice" role="status">
            <p>Planning tomorrow, {formatLongCalendarDate(day)}: the day leaves at {settings.dayStart}.</p>
            <button type="button" className="button-secondary" onClick={() => setForTomorrow(false)}>
              Back to today
            </button>
          </div>
        ) : null}
        {notice ? (
          <p className="route-notice" role="status">
            {notice}
          </p>
        ) : null}
        {routing.problem ? (
          <p className="route-notice" role="status" data-testid="routing-problem">
            {routing.problem}
          </p>
        ) : null}
        {daySchedule ? <RouteTotals totals={daySchedule.schedule.totals} travelSource={daySchedule.travelSource} clock={clock} /> : null}
        {dayRules.map((rule) => (
          <p key={rule.message} className="stop-problem" role="status">
            {rule.message}
          </p>
        ))}
        {plan && daySchedule ? (
          <StopList
            stops={daySchedule.stops}
            visits={daySchedule.schedule.visits}
            broken={daySchedule.schedule.broken}
            lockedPositions={plan.lockedPositions}
            clock={clock}
            day={day}
            onMove={rearrange}
            onToggleLock={toggleLock}
            onNavigate={(job) => void openStopInNavigation(job)}
          />
        ) : null}
        {plan && plan.unplaced.length > 0 ? (
          <section className="route-unplaced" aria-labelledby="unplaced-heading">
            <h3 id="unplaced-heading">Not in today's plan</h3>
            <ul>
              {plan.unplaced.map((u) => (
                <li key={u.jobId}>
                  <strong>{jobsById.get(u.jobId)?.customer.name ?? 'A job'}</strong>: {u.reason}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {jobs === undefined ? <p className="list-message">Loading jobs…</p> : <JobPicker jobs={jobs} picked={pickedIds} onChange={setPicked} day={day} />}
        <RouteSettingsPanel />
      </section>
      <section className="route-map-area" aria-label="Map">
        <RouteMap
          jobs={jobs ?? []}
          pickedJobIds={pickedIds}
          stops={mapStops}
          start={plan?.start ?? null}
          roadLine={routing.line}
          tileTemplate={settings.tileUrl}
          tileAttribution={settings.tileAttribution}
          regionPack={regionPack.pack}
          onView={onView}
        />
        <details className="map-panel">
          <summary>Offline map</summary>
          <SaveAreaPanel template={settings.tileUrl} permitsBulk={settings.tileSourcePermitsBulk} view={view} />
          <RegionPackPanel pack={regionPack.pack} problem={regionPack.problem} onOpenFile={regionPack.openFile} onRemove={regionPack.remove} />
        </details>
      </section>
    </div>
  );
}
