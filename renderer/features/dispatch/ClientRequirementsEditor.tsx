import { useEffect, useState } from 'react';
import type { ClientRequirements, RequirementKey } from '../../../shared/domain/client-requirements';
import type { DispatchData } from './use-dispatch-data';
import { formatMoment } from '../../ui/date-format';
import { ClientContactEditor } from './ClientContactEditor';

const requirementLabels: Record<RequirementKey, string> = {
  serialPlatePhotoPerRecoveredItem: "A photo of each recovered item's serial plate",
  customerSignature: "The customer's signature",
  conditionGradePerRecoveredItem: 'A condition grade for each recovered item',
  accessoriesChecked: 'Accessories (power supply, remote, keys) checked',
};

const requirementKeys = Object.keys(requirementLabels) as RequirementKey[];

/**
 * The evidence each client demands before a job may close. Agents get the checklist with their
 * jobs at the next sync.
 */
export function ClientRequirementsEditor({ data }: { data: DispatchData }) {
  const clients = data.clients.map((client): [string, string] => [client.id, client.name]);
  const [clientId, setClientId] = useState('');
  const [requirements, setRequirements] = useState<ClientRequirements | null>(null);
  const [state, setState] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const chosen = clientId || clients[0]?.[0] || '';

  useEffect(() => {
    if (!chosen) return undefined;
    let live = true;
    setRequirements(null);
    setError(null);
    setState(null);
    data.client
      .clientRequirements(chosen)
      .then((answer) => {
        if (!live) return;
        setRequirements(answer.requirements);
        setState(answer.isDefault ? 'This client has set nothing; the default applies.' : `Last changed ${answer.updatedAt ? formatMoment(answer.updatedAt) : 'at an unknown time'}.`);
      })
      .catch((caught: unknown) => live && setError(caught instanceof Error ? caught.message : 'The requirements could not be loaded.'));
    return () => {
      live = false;
    };
  }, [chosen, data.client]);

  async function save() {
    if (!requirements) return;
    setError(null);
    try {
      await data.client.saveClientRequirements(chosen, requirements);
      setState('Saved. Agents get the new checklist at their next sync.');
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The requirements could not be saved.');
    }
  }

  if (clients.length === 0) return <p className="list-message">No clients yet: import or create a job first.</p>;
  return (
    <section className="dispatch-panel" aria-labelledby="requirements-heading">
      <h2 id="requirements-heading">Client requirements</h2>
      <label>
        Client
        <select value={chosen} onChange={(event) => setClientId(event.target.value)}>
          {clients.map(([id, name]) => <option key={id} value={id}>{name}</option>)}
        </select>
      </label>
      {requirements ? (
        <fieldset>
          <legend>Evidence a job needs before it can be closed</legend>
          {requirementKeys.map((key) => (
            <label key={key} className="check-label">
              <input type="checkbox" checked={requirements[key]} onChange={(event) => setRequirements({ ...requirements, [key]: event.target.checked })} />
              {requirementLabels[key]}
            </label>
          ))}
          <button type="button" className="button-primary" onClick={() => void save()}>Save requirements</button>
        </fieldset>
      ) : error ? null : <p className="list-message">Loading…</p>}
      {state ? <p role="status" className="muted">{state}</p> : null}
      {error ? <p role="alert" className="form-error">{error}</p> : null}
      <ClientContactEditor key={chosen} clientId={chosen} client={data.client} />
    </section>
  );
}
