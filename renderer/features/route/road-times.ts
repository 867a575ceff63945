import { useEffect, useState } from 'react';
import { fetchTravelMatrix, type GeoPoint, type TravelMatrix } from '../../../shared/route';
import type { LocalJob } from '../../db/schema';
import { fetchRouteGeometry } from './osrm-route';
import { hasCoordinates, type RouteStart } from './route-request';
import type { RouteSettings } from './route-settings';

/**
 * Road travel times between the day's places, from the OSRM `table` service: node 0 is the
 * start, then one node per job id. Kept by place rather than by order, so after the agent
 * drags a stop the ETAs still come from the same road times the optimiser used.
 */
export interface RoadTimes {
  readonly key: string;
  readonly jobIds: readonly string[];
  readonly matrix: TravelMatrix;
}

const osrmTimeoutMs = 5000;

/** What identifies where a table applies: the service and the start. */
function roadTimesKey(settings: RouteSettings, start: RouteStart): string {
  return JSON.stringify([settings.osrmUrl, start.lat, start.lon]);
}

/** Asked once per set of places in a session; after a restart they are asked again. */
const known: RoadTimes[] = [];
const kept = 8;

function rememberRoadTimes(times: RoadTimes): void {
  known.unshift(times);
  known.length = Math.min(known.length, kept);
}

/**
 * A service that stopped answering drops its tables from this start: the plan then falls back
 * to the offline estimate everywhere, so the ETAs shown are the ones the plan was made with.
 */
function forgetRoadTimes(key: string): void {
  for (let i = known.length - 1; i >= 0; i--) if (known[i]?.key === key) known.splice(i, 1);
}

/** Road times already fetched that cover every one of these stops, from this start. */
function knownRoadTimes(key: string, jobIds: readonly string[]): RoadTimes | null {
  return known.find((times) => times.key === key && jobIds.every((id) => times.jobIds.includes(id))) ?? null;
}

export type RoadTimesAnswer = { readonly ok: true; readonly times: RoadTimes } | { readonly ok: false; readonly reason: string };

/** Asks OSRM for the table; never throws, so a dead service costs the agent road times, not the plan. */
export async function fetchRoadTimes(settings: RouteSettings, start: RouteStart, jobs: readonly LocalJob[]): Promise<RoadTimesAnswer> {
  const placed = jobs.filter(hasCoordinates);
  const points: GeoPoint[] = [{ lat: start.lat, lon: start.lon }, ...placed.map((job) => ({ lat: job.address.lat, lon: job.address.lon }))];
  const fetched = await fetchTravelMatrix(points, {
    baseUrl: settings.osrmUrl,
    offline: { detourFactor: settings.detourFactor, averageSpeedKmh: settings.averageSpeedKmh },
    fetch: (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(osrmTimeoutMs) }),
  });
  const key = roadTimesKey(settings, start);
  if (fetched.source !== 'osrm') {
    forgetRoadTimes(key);
    return { ok: false, reason: fetched.fallbackReason ?? 'the routing service gave no road times' };
  }
  const jobIds = placed.map((job) => job.id);
  const times = { key, jobIds, matrix: { durationsS: fetched.durationsS, distancesM: fetched.distancesM, source: 'osrm' as const } };
  rememberRoadTimes(times);
  return { ok: true, times };
}

/** The road times for these places in this order (start first), or null when they do not cover them all. */
export function roadMatrixFor(times: RoadTimes | null, jobIds: readonly string[]): TravelMatrix | null {
  if (!times || jobIds.some((id) => !times.jobIds.includes(id))) return null;
  const nodes = [0, ...jobIds.map((id) => times.jobIds.indexOf(id) + 1)];
  const pick = (table: number[][]) => nodes.map((from) => nodes.map((to) => table[from]?.[to] ?? 0));
  return { durationsS: pick(times.matrix.durationsS), distancesM: pick(times.matrix.distancesM), source: 'osrm' };
}

export interface RoadRouting {
  /** Road times for the plan's places, when the routing service gave them. */
  readonly times: RoadTimes | null;
  /** The road-following line through the stops in order, when the service gave one. */
  readonly line: [number, number][] | null;
  /** Why the plan falls back to straight lines and estimates, in words; null when it does not. */
  readonly problem: string | null;
}

const noRouting: RoadRouting = { times: null, line: null, problem: null };

/**
 * Road times and the road line for the day's stops, when a routing service is configured.
 * The times are fetched once per set of places (the optimiser may already have them); the
 * line again after every reorder and every new optimisation (`revision`). Either failing
 * leaves straight lines and the offline estimate, with the reason said.
 */
export function useRoadRouting(settings: RouteSettings, start: RouteStart | null, stops: readonly LocalJob[], revision: string | null): RoadRouting {
  const [routing, setRouting] = useState<RoadRouting>(noRouting);
  const stopIds = stops.map((job) => job.id);
  const orderKey = JSON.stringify([settings.osrmUrl, start?.lat, start?.lon, stopIds, revision]);

  useEffect(() => {
    if (settings.osrmUrl === '' || !start || stops.length === 0) {
      setRouting(noRouting);
      return;
    }
    let cancelled = false;
    void (async () => {
      const times = knownRoadTimes(roadTimesKey(settings, start), stopIds);
      const answer: RoadTimesAnswer = times ? { ok: true, times } : await fetchRoadTimes(settings, start, stops);
      const points = [start, ...stops.filter(hasCoordinates).map((job) => ({ lat: job.address.lat, lon: job.address.lon }))];
      const line = answer.ok ? await fetchRouteGeometry(settings.osrmUrl, points, osrmTimeoutMs) : null;
      if (cancelled) return;
      setRouting({
        times: answer.ok ? answer.times : null,
        line: line && line.ok ? line.line : null,
        problem: !answer.ok
          ? `Road times unavailable: ${answer.reason}. ETAs use the straight-line estimate and the map draws straight lines; check the routing service address in Route settings, or carry on.`
          : line && !line.ok
            ? `The road route could not be drawn: ${line.reason}. The map draws straight lines between the stops.`
            : null,
      });
    })();
    return () => {
      cancelled = true;
    };
    // orderKey stands for the settings, start and stops that matter here; the objects change identity on every render.
  }, [orderKey]);

  return routing;
}
