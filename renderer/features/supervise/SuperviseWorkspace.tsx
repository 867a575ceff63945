import { useMemo, useState, type FormEvent } from 'react';
import type { CustodySearchHit, CustodySearchQuery, ItemTimeline } from '../../../shared/supervise/supervise-api';
import { useSignedInSession } from '../auth/session-store';
import { formatMoment } from '../../ui/date-format';
import { CustodyTimeline } from './CustodyTimeline';
import { DashboardPanel } from './DashboardPanel';
import { ExportButtons } from './ExportButtons';
import { superviseClient, SuperviseError } from './supervise-client';
import { VerifyBundlePanel } from './VerifyBundlePanel';
import './supervise.css';

type Tab = 'find' | 'dashboard' | 'verify';
type Field = 'serial' | 'assetTag' | 'customer' | 'client' | 'jobId';
const fieldLabels: Record<Field, string> = { serial: 'Serial', assetTag: 'Asset tag', customer: 'Customer', client: 'Client', jobId: 'Job id' };

/** Supervisors and admins: find any item's custody record, export it, verify a bundle, see the figures. */
export function SuperviseWorkspace() {
  const session = useSignedInSession();
  const client = useMemo(() => superviseClient(session), [session]);
  const [tab, setTab] = useState<Tab>('find');
  const [field, setField] = useState<Field>('serial');
  const [text, setText] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [query, setQuery] = useState<Partial<CustodySearchQuery> | null>(null);
  const [hits, setHits] = useState<{ hits: CustodySearchHit[]; total: number } | null>(null);
  const [timeline, setTimeline] = useState<ItemTimeline | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const say = (error: unknown) => setMessage(error instanceof SuperviseError ? error.message : 'Something went wrong; try again.');

  async function search(event: FormEvent) {
    event.preventDefault();
    const next: Partial<CustodySearchQuery> = { limit: 100 };
    if (text.trim()) next[field] = text.trim();
    if (from) next.from = new Date(`${from}T00:00:00`).toISOString();
    if (to) next.to = new Date(`${to}T23:59:59`).toISOString();
    setMessage(null);
    setTimeline(null);
    try {
      const result = await client.search(next);
      setQuery(next);
      setHits(result);
      const only = result.hits.length === 1 ? result.hits[0] : undefined;
      if (only) await open(only.itemId);
    } catch (error) {
      say(error);
    }
  }

  async function open(itemId: string) {
    try {
      const next = await client.timeline(itemId);
      setTimeline(next);
      // A disposition just recorded changes the item's last event; the result row follows.
      setHits((current) => (current ? { ...current, hits: current.hits.map((hit) => (hit.itemId === itemId ? next.item : hit)) } : current));
    } catch (error) {
      say(error);
    }
  }

  const { limit: _limit, offset: _offset, ...csvScope } = query ?? {};

  return (
    <div className="supervise-workspace">
      <nav className="supervise-tabs" aria-label="Supervise">
        {(['find', 'dashboard', 'verify'] as const).map((name) => (
          <button key={name} type="button" aria-current={tab === name ? 'page' : undefined} onClick={() => setTab(name)}>
            {name === 'find' ? 'Find a record' : name === 'dashboard' ? 'Dashboard' : 'Verify a bundle'}
          </button>
        ))}
      </nav>
      {tab === 'dashboard' ? <DashboardPanel client={client} /> : null}
      {tab === 'verify' ? <VerifyBundlePanel /> : null}
      {tab === 'find' ? (
        <>
          <form className="supervise-search" role="search" onSubmit={(event) => void search(event)}>
            <select aria-label="Search by" value={field} onChange={(event) => setField(event.target.value as Field)}>
              {(Object.keys(fieldLabels) as Field[]).map((name) => (
                <option key={name} value={name}>
                  {fieldLabels[name]}
                </option>
              ))}
            </select>
            <input type="search" aria-label="Search custody records" placeholder="Serial, e.g. G4K1234567890" value={text} onChange={(event) => setText(event.target.value)} />
            <label>
              From <input type="date" value={from} onChange={(event) => setFrom(event.target.value)} />
            </label>
            <label>
              To <input type="date" value={to} onChange={(event) => setTo(event.target.value)} />
            </label>
            <button type="submit" className="button-primary">
              Search
            </button>
          </form>
          {message ? <p role="alert">{message}</p> : null}
          {hits ? (
            <section className="supervise-results" aria-label="Results">
              <header className="supervise-results-header">
                <p>
                  {hits.total === 0 ? 'No custody record matches.' : `${hits.total} item${hits.total === 1 ? '' : 's'} with a custody record${hits.total > hits.hits.length ? `; the latest ${hits.hits.length} shown` : ''}.`}
                </p>
                {hits.total > 0 ? <ExportButtons client={client} scope={{ search: csvScope }} kinds={['csv']} /> : null}
              </header>
              <table className="supervise-table">
                <thead>
                  <tr>
                    <th>Serial</th>
                    <th>Item</th>
                    <th>Client · account</th>
                    <th>Customer</th>
                    <th>Agent</th>
                    <th>Last event</th>
                  </tr>
                </thead>
                <tbody>
                  {hits.hits.map((hit) => (
                    <tr key={hit.itemId} aria-selected={timeline?.item.itemId === hit.itemId}>
                      <td>
                        <button type="button" className="button-link" onClick={() => void open(hit.itemId)}>
                          {hit.serial}
                        </button>
                      </td>
                      <td>{hit.description}</td>
                      <td>
                        {hit.clientName} · {hit.accountRef}
                      </td>
                      <td>{hit.customerName}</td>
                      <td>{hit.agentName ?? '—'}</td>
                      <td>
                        {hit.lastEventKind.replace(/_/g, ' ')} · {formatMoment(hit.lastEventAt)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ) : null}
          {timeline ? <CustodyTimeline client={client} timeline={timeline} validator={session.user.displayName} onDisposed={() => open(timeline.item.itemId)} /> : null}
        </>
      ) : null}
    </div>
  );
}
