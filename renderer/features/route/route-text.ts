import type { AppointmentWindow } from '../../../shared/domain/job';
import { dayInZone } from '../../../shared/domain/time-zone';
import { formatWindowInZone } from '../../ui/date-format';

/**
 * "Appt. Thu, Mar 9, 10:00–12:00" in the job's own zone (the customer booked in their local
 * time), said to be on a later day when it is after the day being planned, so it never reads
 * as missed.
 */
export function formatAppointment(window: AppointmentWindow, timeZone: string, plannedDay?: string): string {
  const later = plannedDay !== undefined && dayInZone(Date.parse(window.start), timeZone) > plannedDay;
  return `Appt. ${formatWindowInZone(window.start, window.end, timeZone)}${later ? ' · a later day' : ''}`;
}

export function formatDuration(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

export function formatDistance(metres: number): string {
  return metres < 1000 ? `${Math.round(metres)} m` : `${(metres / 1000).toFixed(1)} km`;
}
