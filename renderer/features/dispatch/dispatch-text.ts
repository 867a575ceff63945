import type { Job } from '../../../shared/domain/job';
import type { User } from '../../../shared/domain/roles';

/** Overdue: due before today in the job's own time zone, and still open. */
export function isOverdue(job: Job, now: Date = new Date()): boolean {
  if (job.dueDate === null || ['recovered', 'closed', 'cancelled'].includes(job.status)) return false;
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: job.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  return job.dueDate < today;
}

export function agentName(agents: readonly User[], agentId: string | null): string {
  if (agentId === null) return '—';
  return agents.find((agent) => agent.id === agentId)?.displayName ?? 'another agent';
}

export function addressLine(job: Job): string {
  return [job.address.line1, job.address.city].filter(Boolean).join(', ');
}

export function needsPin(job: Job): boolean {
  return job.address.lat === null || job.address.lon === null;
}

/** "3 min ago", "2 h ago", "4 days ago": how stale an agent's last sync is, at a glance. */
export function timeAgo(iso: string, now: number = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}
