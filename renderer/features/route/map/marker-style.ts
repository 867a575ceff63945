import L from 'leaflet';
import type { JobStatus } from '../../../../shared/domain/job-status';

/** The same hues as the status badges in the job list, strong enough to read on a map. */
export const statusColours: Record<JobStatus, string> = {
  unassigned: '#6b7280',
  assigned: '#1e4e8c',
  en_route: '#1d4ed8',
  on_site: '#6d28d9',
  attempted: '#b45309',
  partially_recovered: '#a16207',
  recovered: '#1e7b45',
  on_hold: '#4b5563',
  cancelled: '#b42318',
  closed: '#111827',
};

export function stopIcon(position: number, late: boolean): L.DivIcon {
  return L.divIcon({
    className: `stop-marker${late ? ' is-late' : ''}`,
    html: `<span>${position}</span>`,
    iconSize: [28, 28],
    iconAnchor: [14, 14],
  });
}

export const startIcon = L.divIcon({ className: 'start-marker', html: '<span>S</span>', iconSize: [26, 26], iconAnchor: [13, 13] });
