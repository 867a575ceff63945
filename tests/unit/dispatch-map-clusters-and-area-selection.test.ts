import { describe, expect, it } from 'vitest';
import { boxBetween, idsInArea, insideRing } from '../../renderer/features/dispatch/map/area-selection';
import { buildJobClusterIndex, dominantStatus, type ViewBox } from '../../renderer/features/dispatch/map/job-clusters';
import { jobStatuses } from '../../shared/domain/job-status';
import { generatedMapJobs } from '../fixtures/dispatch/map-jobs';

const jobs = generatedMapJobs(10_000);
const index = buildJobClusterIndex(jobs);
const chicagoLoop: ViewBox = [-87.7, 41.84, -87.58, 41.92];

describe('the cluster index over 10,000 jobs', () => {
  it('accounts for every job exactly once when the whole area is in view', () => {
    for (const zoom of [3, 8, 11, 14]) {
      const markers = index.markers([-180, -85, 180, 85], zoom);
      const total = markers.reduce((sum, marker) => sum + (marker.kind === 'cluster' ? marker.count : 1), 0);
      expect(total).toBe(10_000);
    }
  });

  it('answers a city view with a few dozen clusters, not thousands of markers', () => {
    const markers = index.markers(chicagoLoop, 12);
    expect(markers.length).toBeGreaterThan(0);
    expect(markers.length).toBeLessThan(200);
    expect(markers.some((marker) => marker.kind === 'cluster')).toBe(true);
    for (const marker of markers) {
      const { lat, lon } = marker.kind === 'cluster' ? marker : marker.job;
      expect(lon).toBeGreaterThanOrEqual(-87.7);
      expect(lon).toBeLessThanOrEqual(-87.58);
      expect(lat).toBeGreaterThanOrEqual(41.84);
      expect(lat).toBeLessThanOrEqual(41.92);
    }
  });

  it('keeps the status counts of a cluster equal to the jobs it holds, and expands on click', () => {
    const cluster = index.markers(chicagoLoop, 10).find((marker) => marker.kind === 'cluster');
    if (cluster?.kind !== 'cluster') throw new Error('expected a cluster at zoom 10');
    const ids = new Set(index.jobIds(cluster.clusterId));
    expect(ids.size).toBe(cluster.count);
    const held = jobs.filter((job) => ids.has(job.id));
    expect(cluster.counts).toEqual(jobStatuses.map((status) => held.filter((job) => job.status === status).length));
    expect(index.expansionZoom(cluster.clusterId)).toBeGreaterThan(10);
  });

  it('shows single jobs once zoomed past the cluster limit', () => {
    const markers = index.markers([-87.64, 41.87, -87.62, 41.89], 17);
    expect(markers.every((marker) => marker.kind === 'job')).toBe(true);
  });

  it('colours a cluster by a majority status only', () => {
    const counts = (entries: Partial<Record<(typeof jobStatuses)[number], number>>) => jobStatuses.map((status) => entries[status] ?? 0);
    expect(dominantStatus(counts({ assigned: 6, recovered: 4 }))).toBe('assigned');
    expect(dominantStatus(counts({ assigned: 5, recovered: 5 }))).toBeNull();
    expect(dominantStatus(counts({ assigned: 4, recovered: 3, attempted: 3 }))).toBeNull();
  });
});

describe('selecting an area', () => {
  it('a box picks exactly the jobs inside it, whichever way it was dragged', () => {
    const box = boxBetween({ lat: 41.92, lon: -87.6 }, { lat: 41.85, lon: -87.7 });
    const picked = new Set(idsInArea(jobs, { kind: 'box', box }));
    const expected = jobs.filter((job) => job.lat >= 41.85 && job.lat <= 41.92 && job.lon >= -87.7 && job.lon <= -87.6).map((job) => job.id);
    expect(picked.size).toBe(expected.length);
    expect(expected.every((id) => picked.has(id))).toBe(true);
    expect(picked.size).toBeGreaterThan(100);
  });

  it('a box includes points on its edge and nothing just outside', () => {
    const edge = [
      { id: 'corner', lat: 1, lon: 1 },
      { id: 'inside', lat: 0.5, lon: 0.5 },
      { id: 'outside', lat: 1.000001, lon: 0.5 },
    ];
    expect(idsInArea(edge, { kind: 'box', box: boxBetween({ lat: 0, lon: 0 }, { lat: 1, lon: 1 }) })).toEqual(['corner', 'inside']);
  });

  it('a lasso picks the jobs inside its outline, not those in its bounding box corners', () => {
    // A triangle: the box around it holds (0.9, 0.1), the triangle does not.
    const ring = [
      { lat: 0, lon: 0 },
      { lat: 0, lon: 1 },
      { lat: 1, lon: 1 },
    ];
    const points = [
      { id: 'in', lat: 0.2, lon: 0.8 },
      { id: 'corner', lat: 0.9, lon: 0.1 },
      { id: 'away', lat: 2, lon: 2 },
    ];
    expect(idsInArea(points, { kind: 'lasso', ring })).toEqual(['in']);
    expect(insideRing({ lat: 0.5, lon: 0.5001 }, ring)).toBe(true);
    expect(idsInArea(points, { kind: 'lasso', ring: ring.slice(0, 2) })).toEqual([]);
  });
});
