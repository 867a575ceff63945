import { useState } from 'react';
import type { VisitRow } from '../../db/door-tables';
import { currentPlace, doorRepository } from './door-data';

/** Leaving the address: the visit's departure time and place, recorded once. */
export function DepartureButton({ jobId, visit }: { jobId: string; visit: VisitRow }) {
  const [error, setError] = useState<string | null>(null);
  if (visit.departedAt !== null) return null;

  async function depart() {
    setError(null);
    try {
      await doorRepository.recordDeparture({ jobId, visitId: visit.id, departedAt: new Date(), place: await currentPlace() });
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The departure could not be saved.');
    }
  }

  return (
    <div className="door-actions">
      <button type="button" className="button-secondary" onClick={() => void depart()}>Record departure</button>
      {error ? <p role="alert" className="form-error">{error}</p> : null}
    </div>
  );
}
