import { useState } from 'react';
import { itemTypes, priorities, type Job } from '../../../shared/domain/job';
import { blankAccount, blankItem, checkJobForm, createRequest, patchRequest, valuesOfJob, type AccountValues, type ItemValues } from './job-form-values';
import type { DispatchData } from './use-dispatch-data';

interface Props {
  readonly data: DispatchData;
  /** null: a new job. */
  readonly job: Job | null;
  readonly onDone: () => void;
}

const accountLabels: readonly [keyof AccountValues, string][] = [
  ['client', 'Client'],
  ['account_ref', 'Account reference'],
  ['customer_name', 'Customer name'],
  ['phones', 'Phones (separate with ;)'],
  ['email', 'Email'],
  ['address_line1', 'Address line 1'],
  ['address_line2', 'Address line 2'],
  ['city', 'City'],
  ['region', 'Region / state'],
  ['postal_code', 'Postal code'],
  ['country', 'Country (2 letters)'],
  ['lat', 'Latitude'],
  ['lon', 'Longitude'],
  ['time_zone', 'Time zone'],
  ['due_date', 'Due date (YYYY-MM-DD)'],
  ['appointment_start', 'Appointment start (YYYY-MM-DD HH:MM)'],
  ['appointment_end', 'Appointment end'],
  ['instructions', 'Instructions'],
];

/** Create or edit a job; the same checks and words as the import. */
export function JobForm({ data, job, onDone }: Props) {
  const initial = job ? valuesOfJob(job) : { account: blankAccount(), items: [blankItem()] };
  const [account, setAccount] = useState<AccountValues>(initial.account);
  const [items, setItems] = useState<ItemValues[]>(initial.items);
  const [problems, setProblems] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);

  const setItem = (index: number, change: Partial<ItemValues>) => setItems(items.map((item, i) => (i === index ? { ...item, ...change } : item)));

  const save = async () => {
    const check = checkJobForm(account, items);
    if (!check.ok) {
      setProblems(check.problems);
      return;
    }
    setSaving(true);
    try {
      if (job) await data.client.patchJob(job.id, patchRequest(check.fields, job, data.clients));
      else await data.client.createJob(createRequest(check.fields, data.clients));
      await data.refresh();
      onDone();
    } catch (caught) {
      setProblems([caught instanceof Error ? caught.message : String(caught)]);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="dispatch-panel" aria-labelledby="job-form-heading">
      <h2 id="job-form-heading">{job ? `Edit ${job.customer.name}` : 'New job'}</h2>
      <form
        className="job-form"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <div className="job-form-grid">
          {accountLabels.map(([key, label]) => (
            <label key={key}>
              <span>{label}</span>
              <input value={account[key]} disabled={job !== null && (key === 'client' || key === 'account_ref')} onChange={(event) => setAccount({ ...account, [key]: event.target.value })} />
            </label>
          ))}
          <label>
            <span>Priority</span>
            <select value={account.priority} onChange={(event) => setAccount({ ...account, priority: event.target.value })}>
              {priorities.map((priority) => (
                <option key={priority}>{priority}</option>
              ))}
            </select>
          </label>
        </div>
        <h3>Expected equipment</h3>
        {items.map((item, index) => (
          <fieldset key={item.id ?? `new-${index}`} className="job-form-item">
            <legend className="visually-hidden">Item {index + 1}</legend>
            <select aria-label={`Item ${index + 1} type`} value={item.item_type} onChange={(event) => setItem(index, { item_type: event.target.value })}>
              {itemTypes.map((type) => (
                <option key={type}>{type}</option>
              ))}
            </select>
            <input aria-label={`Item ${index + 1} make`} placeholder="Make" value={item.item_make} onChange={(event) => setItem(index, { item_make: event.target.value })} />
            <input aria-label={`Item ${index + 1} model`} placeholder="Model" value={item.item_model} onChange={(event) => setItem(index, { item_model: event.target.value })} />
            <input aria-label={`Item ${index + 1} serial`} placeholder="Serial" value={item.item_serial} onChange={(event) => setItem(index, { item_serial: event.target.value })} />
            <input aria-label={`Item ${index + 1} asset tag`} placeholder="Asset tag" value={item.item_asset_tag} onChange={(event) => setItem(index, { item_asset_tag: event.target.value })} />
            <button type="button" className="button-link" onClick={() => setItems(items.filter((_, i) => i !== index))}>
              Remove
            </button>
          </fieldset>
        ))}
        <button type="button" className="button-secondary" onClick={() => setItems([...items, blankItem()])}>
          Add an item
        </button>
        {problems.length > 0 ? (
          <ul className="form-error" role="alert">
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        ) : null}
        <div className="import-actions">
          <button type="submit" className="button-primary" disabled={saving}>
            {job ? 'Save changes' : 'Create job'}
          </button>
          <button type="button" className="button-secondary" onClick={onDone}>
            Close
          </button>
        </div>
      </form>
    </section>
  );
}
