import { useState } from 'react';
import { mayDo } from '../../../shared/auth/role-matrix';
import type { Job } from '../../../shared/domain/job';
import { useSignedInSession } from '../auth/session-store';
import { ClientRequirementsEditor } from './ClientRequirementsEditor';
import { DispatchJobList } from './DispatchJobList';
import { ImportPanel } from './ImportPanel';
import { JobForm } from './JobForm';
import { DispatchMap } from './map/DispatchMap';
import { ReviewInbox } from './ReviewInbox';
import { StatusBoard } from './StatusBoard';
import { useDispatchData } from './use-dispatch-data';
import './dispatch.css';

type Tab = 'jobs' | 'board' | 'map' | 'import' | 'review' | 'requirements' | 'form';

/** The office's dispatch views: online only, kept current by the server's live feed. */
export function DispatchWorkspace() {
  const session = useSignedInSession();
  const data = useDispatchData(session.serverUrl);
  const [tab, setTab] = useState<Tab>('jobs');
  const [editing, setEditing] = useState<Job | null>(null);
  // The server's role matrix decides who writes jobs; supervisors watch the board without the controls.
  const canWrite = mayDo(session.user.role, 'jobs.write');

  const tabs: [Tab, string][] = [
    ['jobs', 'Jobs'],
    ['board', 'Status board'],
    ['map', 'Map'],
    ...(canWrite ? ([['import', 'Import']] as [Tab, string][]) : []),
    ['review', `Review inbox${data.counts && data.counts.flagged > 0 ? ` (${data.counts.flagged.toLocaleString()})` : ''}`],
    ...(canWrite ? ([['requirements', 'Client requirements']] as [Tab, string][]) : []),
  ];

  return (
    <div className="dispatch">
      <nav className="dispatch-tabs" aria-label="Dispatch">
        {tabs.map(([key, label]) => (
          <button key={key} type="button" aria-current={tab === key ? 'page' : undefined} onClick={() => setTab(key)}>
            {label}
          </button>
        ))}
        {canWrite ? (
          <button
            type="button"
            className="button-secondary"
            onClick={() => {
              setEditing(null);
              setTab('form');
            }}
          >
            New job
          </button>
        ) : null}
        <span className={`live-state ${data.live ? 'is-live' : 'is-stale'}`} role="status">
          {data.live ? 'Live' : 'Not live — reconnecting'}
        </span>
      </nav>
      {data.error ? (
        <p className="form-error" role="alert">
          {data.error}
        </p>
      ) : null}
      {data.loading ? <p className="list-message">Loading jobs…</p> : null}
      {tab === 'jobs' ? (
        <DispatchJobList
          data={data}
          canWrite={canWrite}
          onEdit={(job) => {
            setEditing(job);
            setTab('form');
          }}
        />
      ) : null}
      {tab === 'board' ? <StatusBoard data={data} /> : null}
      {tab === 'map' ? <DispatchMap data={data} /> : null}
      {tab === 'import' ? <ImportPanel client={data.client} onImported={() => void data.refresh()} /> : null}
      {tab === 'review' ? <ReviewInbox data={data} canClear={canWrite} /> : null}
      {tab === 'requirements' ? <ClientRequirementsEditor data={data} /> : null}
      {tab === 'form' ? <JobForm key={editing?.id ?? 'new'} data={data} job={editing} onDone={() => setTab('jobs')} /> : null}
    </div>
  );
}
