import L from 'leaflet';
import { useEffect, useMemo } from 'react';
import { useMap } from 'react-leaflet';
import { jobStatuses, jobStatusLabels } from '../../../../shared/domain/job-status';
import { formatCalendarDate } from '../../../ui/date-format';
import { statusColours } from '../../route/map/marker-style';
import { dominantStatus, type JobClusterIndex, type MapMarker, type StatusCounts } from './job-clusters';

/** Slate for a mixed cluster: no status has a majority. */
const mixedColour = '#475569';

function ringGradient(counts: StatusCounts, total: number): string {
  let start = 0;
  const stops = counts.flatMap((n, i) => {
    if (n === 0) return [];
    const end = start + (n / total) * 360;
    const stop = `${statusColours[jobStatuses[i] ?? 'unassigned']} ${start.toFixed(1)}deg ${end.toFixed(1)}deg`;
    start = end;
    return [stop];
  });
  return `conic-gradient(${stops.join(', ')})`;
}

function breakdown(counts: StatusCounts): string {
  return counts.flatMap((n, i) => (n > 0 ? [`${n} ${jobStatusLabels[jobStatuses[i] ?? 'unassigned'].toLowerCase()}`] : [])).join(', ');
}

/** A bubble whose ring shows the status mix and whose centre takes the majority's colour. */
function clusterIcon(marker: Extract<MapMarker, { kind: 'cluster' }>, selected: number): L.DivIcon {
  const size = Math.round(30 + Math.min(26, Math.log10(marker.count) * 10));
  const status = dominantStatus(marker.counts);
  const fill = status ? statusColours[status] : mixedColour;
  const label = marker.count >= 1000 ? `${(marker.count / 1000).toFixed(marker.count >= 10_000 ? 0 : 1)}k` : String(marker.count);
  const badge = selected > 0 ? `<em class="job-cluster-selected">${selected}</em>` : '';
  return L.divIcon({
    className: 'job-cluster',
    html: `<div class="job-cluster-ring" style="background:${ringGradient(marker.counts, marker.count)}"><span style="background:${fill}">${label}</span></div>${badge}`,
    iconSize: [size, size],
    iconAnchor: [size / 2, size / 2],
  });
}

interface JobMarkerLayerProps {
  readonly index: JobClusterIndex;
  readonly selected: ReadonlySet<string>;
  readonly onToggleJob: (jobId: string) => void;
}

/**
 * Draws only what the current view holds, re-querying the index on every move: clusters as
 * DOM bubbles (few, with counts), single jobs as canvas circles (many, cheap to draw).
 */
export function JobMarkerLayer({ index, selected, onToggleJob }: JobMarkerLayerProps) {
  const map = useMap();
  const renderer = useMemo(() => L.canvas({ padding: 0.2 }), []);

  useEffect(() => {
    const layer = L.layerGroup().addTo(map);
    const draw = () => {
      layer.clearLayers();
      const bounds = map.getBounds().pad(0.15);
      const markers = index.markers([Math.max(-180, bounds.getWest()), Math.max(-85, bounds.getSouth()), Math.min(180, bounds.getEast()), Math.min(85, bounds.getNorth())], map.getZoom());
      for (const marker of markers) {
        if (marker.kind === 'cluster') {
          const inCluster = selected.size > 0 ? index.jobIds(marker.clusterId).filter((id) => selected.has(id)).length : 0;
          L.marker([marker.lat, marker.lon], {
            icon: clusterIcon(marker, inCluster),
            title: `${marker.count} jobs: ${breakdown(marker.counts)}${inCluster > 0 ? ` (${inCluster} selected)` : ''}. Click to zoom in.`,
            keyboard: true,
          })
            .on('click', () => map.flyTo([marker.lat, marker.lon], Math.min(index.expansionZoom(marker.clusterId), 18), { duration: 0.4 }))
            .addTo(layer);
          continue;
        }
        const { job } = marker;
        const isSelected = selected.has(job.id);
        L.circleMarker([job.lat, job.lon], {
          renderer,
          radius: isSelected ? 8 : 6,
          color: isSelected ? '#f2b134' : '#ffffff',
          weight: isSelected ? 3 : 1.5,
          fillColor: statusColours[job.status],
          fillOpacity: 0.95,
        })
          .bindTooltip(`${job.customerName} · ${jobStatusLabels[job.status]}${job.dueDate ? ` · due ${formatCalendarDate(job.dueDate)}` : ''}`)
          .on('click', () => onToggleJob(job.id))
          .addTo(layer);
      }
    };
    draw();
    map.on('moveend', draw);
    return () => {
      map.off('moveend', draw);
      layer.remove();
    };
  }, [map, index, selected, onToggleJob, renderer]);
  return null;
}
