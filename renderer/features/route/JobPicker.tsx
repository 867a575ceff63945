import type { LocalJob } from '../../db/schema';
import { formatAppointment } from './route-text';

interface JobPickerProps {
  readonly jobs: readonly LocalJob[];
  readonly picked: ReadonlySet<string>;
  readonly onChange: (next: Set<string>) => void;
  /** The day being planned (YYYY-MM-DD), so appointments after it say so. */
  readonly day: string;
}

/** Today's jobs: the agent ticks the visits for the day before optimising. */
export function JobPicker({ jobs, picked, onChange, day }: JobPickerProps) {
  const toggle = (jobId: string, on: boolean) => {
    const next = new Set(picked);
    if (on) next.add(jobId);
    else next.delete(jobId);
    onChange(next);
  };
  return (
    <fieldset className="job-picker">
      <legend>
        Jobs for the day <span className="muted">({picked.size} picked)</span>
      </legend>
      <div className="job-picker-actions">
        <button type="button" className="button-link" onClick={() => onChange(new Set(jobs.map((job) => job.id)))}>
          Pick all
        </button>
        <button type="button" className="button-link" onClick={() => onChange(new Set())}>
          Clear
        </button>
      </div>
      <ul className="job-picker-list">
        {jobs.map((job) => (
          <li key={job.id}>
            <label className="job-picker-row">
              <input type="checkbox" checked={picked.has(job.id)} onChange={(event) => toggle(job.id, event.target.checked)} />
              <span className="job-picker-text">
                <span className="job-picker-name">{job.customer.name}</span>
                <span className="job-picker-meta">
                  {job.address.line1}, {job.address.city}
                  {job.appointment ? ` · ${formatAppointment(job.appointment, job.timeZone, day)}` : ''}
                  {job.address.lat === null ? ' · no map position' : ''}
                </span>
              </span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
