import { z } from 'zod';
import { offlineTravelMatrix, type GeoPoint, type OfflineTravelSettings, type TravelMatrix } from './travel-matrix';

/**
 * Just enough of `fetch` for one GET. shared/ compiles without DOM types, so the caller hands
 * in the platform's fetch (window.fetch, Node's fetch, or a fake in tests), wrapped with its
 * own timeout if it wants one.
 */
export type FetchLike = (
  url: string,
  init?: { readonly method?: 'GET'; readonly headers?: Readonly<Record<string, string>> },
) => Promise<{ readonly ok: boolean; readonly status: number; json(): Promise<unknown> }>;

export interface OsrmTableSettings {
  /** For example `https://osrm.example.org`; the path `/table/v1/{profile}/…` is added. */
  readonly baseUrl: string;
  readonly profile?: string;
  readonly fetch: FetchLike;
  /** Used when the service cannot be reached or answers something unusable. */
  readonly offline?: Partial<OfflineTravelSettings>;
}

const matrixRow = z.array(z.number().nonnegative().nullable());

/** The part of OSRM's `table` answer the planner reads (OSRM HTTP API v5). */
export const OsrmTableAnswer = z.object({
  code: z.string(),
  message: z.string().optional(),
  durations: z.array(matrixRow).optional(),
  distances: z.array(matrixRow).optional(),
});
export type OsrmTableAnswer = z.infer<typeof OsrmTableAnswer>;

export type TravelMatrixResult = TravelMatrix & {
  /** Why the offline estimate was used instead of OSRM, in words; null when OSRM answered. */
  readonly fallbackReason: string | null;
  /** Pairs OSRM could not route (null cells), filled in with the offline estimate. */
  readonly estimatedPairs: number;
};

export function osrmTableUrl(baseUrl: string, profile: string, points: readonly GeoPoint[]): string {
  const coordinates = points.map((p) => `${p.lon.toFixed(6)},${p.lat.toFixed(6)}`).join(';');
  return `${baseUrl.replace(/\/+$/, '')}/table/v1/${encodeURIComponent(profile)}/${coordinates}?annotations=duration,distance`;
}

/**
 * Travel matrix from an OSRM `table` service, or the offline estimate when the service is
 * unreachable or its answer does not hold up. Never throws for network trouble: an agent with
 * no signal must still get a plan.
 */
export async function fetchTravelMatrix(
  points: readonly GeoPoint[],
  settings: OsrmTableSettings,
): Promise<TravelMatrixResult> {
  const offline = () => offlineTravelMatrix(points, settings.offline);
  const fallBack = (reason: string): TravelMatrixResult => ({ ...offline(), fallbackReason: reason, estimatedPairs: 0 });
  if (points.length === 0) return { ...offline(), fallbackReason: null, estimatedPairs: 0 };

  let body: unknown;
  try {
    const response = await settings.fetch(osrmTableUrl(settings.baseUrl, settings.profile ?? 'driving', points), {
      method: 'GET',
      headers: { accept: 'application/json' },
    });
    if (!response.ok) return fallBack(`the routing service answered HTTP ${response.status}`);
    body = await response.json();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return fallBack(`the routing service could not be reached (${detail})`);
  }
  return readOsrmTable(body, points, settings.offline);
}

/** Checks an OSRM `table` answer and turns it into a travel matrix (or the offline fallback). */
export function readOsrmTable(
  body: unknown,
  points: readonly GeoPoint[],
  offlineSettings: Partial<OfflineTravelSettings> = {},
): TravelMatrixResult {
  const offline = offlineTravelMatrix(points, offlineSettings);
  const fallBack = (reason: string): TravelMatrixResult => ({ ...offline, fallbackReason: reason, estimatedPairs: 0 });
  const parsed = OsrmTableAnswer.safeParse(body);
  if (!parsed.success) return fallBack('the routing service sent an answer that is not an OSRM table');
  const answer = parsed.data;
  if (answer.code !== 'Ok') {
    return fallBack(`the routing service refused the request (${answer.code}${answer.message ? `: ${answer.message}` : ''})`);
  }
  const n = points.length;
  const square = (m: (number | null)[][] | undefined): m is (number | null)[][] =>
    m !== undefined && m.length === n && m.every((row) => row.length === n);
  if (!square(answer.durations)) return fallBack(`the routing service's durations are not a ${n}×${n} table`);
  if (answer.distances !== undefined && !square(answer.distances)) {
    return fallBack(`the routing service's distances are not a ${n}×${n} table`);
  }

  let estimatedPairs = 0;
  const pick = (value: number | null | undefined, estimate: number, counts: boolean): number => {
    if (value === null || value === undefined) {
      if (counts) estimatedPairs++;
      return estimate;
    }
    return value;
  };
  const durationsS = offline.durationsS.map((row, i) =>
    row.map((estimate, j) => pick(answer.durations?.[i]?.[j], estimate, true)),
  );
  const distancesM = offline.distancesM.map((row, i) =>
    row.map((estimate, j) => pick(answer.distances?.[i]?.[j], estimate, false)),
  );
  return { durationsS, distancesM, source: 'osrm', fallbackReason: null, estimatedPairs };
}
