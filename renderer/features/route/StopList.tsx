import { useState } from 'react';
import type { BrokenRule, PlannedVisit } from '../../../shared/route';
import type { LocalJob } from '../../db/schema';
import { formatAppointment, formatDistance, formatDuration } from './route-text';
import { DownIcon, LockIcon, NavigateIcon, UpIcon } from './stop-icons';
import { neighbourSlot } from './stop-order';

interface StopListProps {
  readonly stops: readonly LocalJob[];
  readonly visits: readonly PlannedVisit[];
  readonly broken: readonly BrokenRule[];
  readonly lockedPositions: Readonly<Record<string, number>>;
  readonly clock: (seconds: number) => string;
  /** The day being planned (YYYY-MM-DD), so appointments after it say so. */
  readonly day: string;
  readonly onMove: (from: number, to: number) => void;
  readonly onToggleLock: (jobId: string, position: number) => void;
  readonly onNavigate: (job: LocalJob) => void;
}

/**
 * The day's stops in order. Drag a row to reorder, or use Move up / Move down (keyboard and
 * screen-reader users); locked stops stay where they are and the others flow around them.
 */
export function StopList(props: StopListProps) {
  const { stops, visits, broken, lockedPositions, clock, day } = props;
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [dropAt, setDropAt] = useState<number | null>(null);

  return (
    <ol className="stop-list" aria-label="Stops">
      {stops.map((job, position) => {
        const visit = visits[position];
        const locked = lockedPositions[job.id] !== undefined;
        const problems = broken.filter((rule) => rule.stopId === job.id);
        const up = neighbourSlot(stops.map((s) => s.id), lockedPositions, position, -1);
        const down = neighbourSlot(stops.map((s) => s.id), lockedPositions, position, 1);
        const name = job.customer.name;
        return (
          <li
            key={job.id}
            className={`stop-row${locked ? ' is-locked' : ''}${problems.length > 0 ? ' is-broken' : ''}${dropAt === position ? ' is-drop-target' : ''}`}
            draggable={!locked}
            onDragStart={(event) => {
              event.dataTransfer.effectAllowed = 'move';
              event.dataTransfer.setData('text/plain', job.id);
              setDragFrom(position);
            }}
            onDragOver={(event) => {
              if (dragFrom === null) return;
              event.preventDefault();
              setDropAt(position);
            }}
            onDragLeave={() => setDropAt((current) => (current === position ? null : current))}
            onDrop={(event) => {
              event.preventDefault();
              if (dragFrom !== null && dragFrom !== position) props.onMove(dragFrom, position);
              setDragFrom(null);
              setDropAt(null);
            }}
            onDragEnd={() => {
              setDragFrom(null);
              setDropAt(null);
            }}
          >
            <span className="stop-number" aria-hidden="true">
              {position + 1}
            </span>
            <div className="stop-body">
              <p className="stop-title">
                <span className="stop-name">{name}</span>
                {visit ? <span className="stop-eta" data-testid="stop-eta">ETA {clock(visit.arrivalS)}</span> : null}
              </p>
              <p className="stop-meta">
                {job.address.line1}, {job.address.city}
                {visit ? ` · ${formatDuration(visit.travelFromPreviousS)} drive` : ''}
                {visit?.distanceFromPreviousM != null ? `, ${formatDistance(visit.distanceFromPreviousM)}` : ''}
                {visit && visit.waitS > 60 ? ` · waits ${formatDuration(visit.waitS)}` : ''}
              </p>
              {job.appointment ? <p className="stop-meta">{formatAppointment(job.appointment, job.timeZone, day)}</p> : null}
              {problems.map((rule) => (
                <p key={rule.rule + rule.message} className="stop-problem" role="status">
                  {rule.message}
                </p>
              ))}
            </div>
            <div className="stop-actions">
              <button type="button" className="icon-button" aria-label={`Move ${name} up`} disabled={locked || up === null} onClick={() => up !== null && props.onMove(position, up)}>
                <UpIcon />
              </button>
              <button type="button" className="icon-button" aria-label={`Move ${name} down`} disabled={locked || down === null} onClick={() => down !== null && props.onMove(position, down)}>
                <DownIcon />
              </button>
              <button
                type="button"
                className="icon-button"
                aria-pressed={locked}
                aria-label={`Lock ${name} in place`}
                title={locked ? 'Locked: optimising and dragging keep this stop here' : 'Lock this stop in place'}
                onClick={() => props.onToggleLock(job.id, position)}
              >
                <LockIcon locked={locked} />
              </button>
              <button type="button" className="icon-button" aria-label={`Navigate to ${name}`} title="Open in a navigation app" onClick={() => props.onNavigate(job)}>
                <NavigateIcon />
              </button>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
