import type { AppointmentWindow } from '../../../shared/domain/job';

/** "Appt. Mar 9, 10:00–12:00" in the job's own zone: the customer booked in their local time. */
export function formatAppointment(window: AppointmentWindow, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en-US', { timeZone, month: 'short', day: 'numeric' }).format(new Date(window.start));
  const time = new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `Appt. ${day}, ${time.format(new Date(window.start))}–${time.format(new Date(window.end))}`;
}

export function formatDuration(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

export function formatDistance(metres: number): string {
  return metres < 1000 ? `${Math.round(metres)} m` : `${(metres / 1000).toFixed(1)} km`;
}
