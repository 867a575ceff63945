export { planRoute, type PlanOptions, type RoutePlan } from './route-planner';
export {
  RoutePlanRequest,
  RouteMatrix,
  RouteMetric,
  RouteStop,
  SoftDue,
  TimeWindow,
  parseRoutePlanRequest,
  type ParsedRequest,
  type RoutePlanRequestInput,
} from './plan-request';
export { scheduleRoute, type BrokenRule, type PlannedVisit, type RouteSchedule, type RouteTotals } from './schedule';
export type { UnplacedCode, UnplacedStop } from './unplaced-reasons';
export { brokenWords, calendarClock, dayIsNearlyOver, relativeClock, unplacedWords, type BrokenFacts, type DayClock, type UnplacedFacts } from './route-words';
export type { SearchBudget } from './search-budget';
export {
  GeoPoint,
  defaultOfflineTravel,
  greatCircleMetres,
  offlineTravelMatrix,
  type OfflineTravelSettings,
  type TravelMatrix,
} from './travel-matrix';
export { OsrmTableAnswer, fetchTravelMatrix, osrmTableUrl, readOsrmTable, type FetchLike, type OsrmTableSettings, type TravelMatrixResult } from './osrm-table';
export { parseTsplib, euc2dDistance, euc2dMatrix, TsplibParseError, type TsplibInstance } from './tsplib';
export { seededRandom, type RandomSource } from './random';
