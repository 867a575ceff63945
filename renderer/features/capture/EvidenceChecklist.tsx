import type { ChecklistLine } from '../../../shared/domain/client-requirements';

/** The client's requirements, ticked off as the evidence is captured. */
export function EvidenceChecklist({ lines }: { lines: readonly ChecklistLine[] }) {
  return (
    <section aria-labelledby="checklist-heading" className="door-section">
      <h4 id="checklist-heading">Client requirements</h4>
      <ul className="evidence-checklist">
        {lines.map((line) => (
          <li key={line.key} className={line.met ? 'check-met' : line.override ? 'check-overridden' : 'check-missing'}>
            <span aria-hidden="true">{line.met ? '✓' : line.override ? '!' : '○'}</span> {line.label}
            <span className="visually-hidden">{line.met ? ' — done' : line.override ? ' — overridden' : ' — not yet'}</span>
            {line.override ? <span> — overridden: {line.override}</span> : line.missing ? <span className="muted"> ({line.missing})</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
