import { bulkActionWords, standingWords } from '../../../shared/dispatch/bulk-action';
import { jobStatusLabels } from '../../../shared/domain/job-status';
import { ModalDialog } from '../../ui/ModalDialog';
import { nameList, skippedLines, type BulkAsk, type BulkSubject } from './bulk-act';

interface Props {
  readonly ask: BulkAsk;
  readonly nameOf: (agentId: string) => string;
  /** Take the confirmed jobs too (true), or go ahead with only those nobody has (false). */
  readonly onAnswer: (takeConfirmed: boolean) => void;
  readonly onCancel: () => void;
}

function jobs(count: number): string {
  return `${count} job${count === 1 ? '' : 's'}`;
}

/**
 * The question before work leaves an agent's list or a job under way is changed: it names each
 * such job and its agent, says what goes ahead as is and what is left out and why, and offers to
 * go ahead without taking anyone's work. Nothing moves until the dispatcher answers.
 */
export function BulkConfirmDialog({ ask, nameOf, onAnswer, onCancel }: Props) {
  const { action, plan } = ask;
  const verb = bulkActionWords(action);
  const to = action.kind === 'assign' ? ` to ${nameOf(action.agentId)}` : '';
  const underWay = plan.confirm.filter(({ reason }) => reason === 'under-way');
  const onLists = plan.confirm.filter(({ reason }) => reason === 'takes-from-agent');
  const total = plan.apply.length + plan.confirm.length;
  const takeWords = action.kind === 'assign' ? 'Taken from other agents' : action.kind === 'unassign' ? "Taken off their agents' lists" : 'On agents’ lists';
  const skipped = skippedLines(ask, nameOf);

  return (
    <ModalDialog className="confirm-panel bulk-confirm" role="alertdialog" labelledBy="bulk-confirm-title" describedBy="bulk-confirm-summary" onClose={onCancel}>
      <h2 id="bulk-confirm-title">
        {capitalise(action.kind === 'assign' ? 'assign' : action.kind === 'unassign' ? 'unassign' : action.kind === 'hold' ? 'put on hold' : 'cancel')} {jobs(total)}
        {to}?
      </h2>
      <p id="bulk-confirm-summary">
        {plan.apply.length > 0 ? `${jobs(plan.apply.length)} nobody has will be ${verb}${to}. ` : ''}
        {plan.confirm.length === 1 ? 'One job belongs to an agent' : `${plan.confirm.length} jobs belong to agents`}
        {underWay.length > 0 ? `, ${underWay.length} of them under way in the field` : ''}: they are named below.
        {action.kind === 'cancel' ? ' Cancelling cannot be undone.' : ''}
      </p>
      {underWay.length > 0 ? (
        <section className="bulk-confirm-group is-under-way" aria-labelledby="bulk-under-way">
          <h3 id="bulk-under-way">Under way — the agent is working it ({underWay.length})</h3>
          <ul>
            {underWay.map(({ job }) => (
              <li key={job.id}>
                <strong>{job.name}</strong> — {standingWords(job, nameOf)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {onLists.length > 0 ? (
        <section className="bulk-confirm-group" aria-labelledby="bulk-on-lists">
          <h3 id="bulk-on-lists">
            {takeWords} ({onLists.length})
          </h3>
          <ul>
            {byAgent(onLists.map(({ job }) => job)).map(([agentId, group]) => (
              <li key={agentId}>
                <strong>
                  From {nameOf(agentId)} ({group.length}):
                </strong>{' '}
                {group.map((job) => (job.status === 'assigned' ? job.name : `${job.name} (${jobStatusLabels[job.status]})`)).join(', ')}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {plan.apply.length > 0 ? (
        <p className="muted">
          Goes ahead as is ({plan.apply.length}): {nameList(plan.apply.map((job) => job.name))}
        </p>
      ) : null}
      {skipped.length > 0 ? (
        <section className="bulk-confirm-group" aria-labelledby="bulk-skipped">
          <h3 id="bulk-skipped">Left out ({plan.skip.length})</h3>
          <ul>
            {skipped.map((line) => (
              <li key={line.text}>{line.text}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {/* First in order, so the dialog opens with the focus on the answer that changes nothing. */}
      <div className="confirm-actions">
        <button type="button" className="button-secondary" onClick={onCancel}>
          Change nothing
        </button>
        <button type="button" className={underWay.length > 0 || action.kind === 'cancel' ? 'button-danger' : 'button-primary'} onClick={() => onAnswer(true)}>
          {capitalise(action.kind === 'assign' ? 'assign' : action.kind === 'unassign' ? 'unassign' : action.kind === 'hold' ? 'hold' : 'cancel')} all {total}
          {plan.confirm.length > 0 && action.kind === 'assign' ? `, taking ${plan.confirm.length} from others` : ''}
        </button>
        {plan.apply.length > 0 ? (
          <button type="button" className="button-secondary" onClick={() => onAnswer(false)}>
            Only the {plan.apply.length} nobody has
          </button>
        ) : null}
      </div>
    </ModalDialog>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Jobs taken from agents, one group per agent, in the order the agents first appear. */
function byAgent(jobs: readonly BulkSubject[]): [string, BulkSubject[]][] {
  const groups = new Map<string, BulkSubject[]>();
  for (const job of jobs) {
    const agentId = job.assignedAgentId ?? '';
    groups.set(agentId, [...(groups.get(agentId) ?? []), job]);
  }
  return [...groups];
}
