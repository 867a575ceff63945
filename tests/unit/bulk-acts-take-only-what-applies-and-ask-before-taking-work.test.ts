import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bulkVerdict, changedSinceWords, isFinished, isUnderWay, planBulk, skipWords, standingWords, type BulkAction, type BulkJob } from '../../shared/dispatch/bulk-action';
import { canTransition, jobStatuses, type JobStatus } from '../../shared/domain/job-status';

const marcus = '00000000-0000-7000-8000-00000000000a';
const tomas = '00000000-0000-7000-8000-00000000000b';
const names = new Map([
  [marcus, 'Marcus Bell'],
  [tomas, 'Tomás Herrera'],
]);
const nameOf = (id: string) => names.get(id) ?? 'someone';

function job(status: JobStatus, assignedAgentId: string | null, id = `${status}-${assignedAgentId ?? 'nobody'}`): BulkJob {
  return { id, status, assignedAgentId };
}

const toTomas: BulkAction = { kind: 'assign', agentId: tomas };

describe('the bulk rule, as a dispatcher reads it', () => {
  it.each<[string, BulkJob, ReturnType<typeof bulkVerdict>]>([
    ['an unassigned job is simply assigned', job('unassigned', null), { kind: 'apply' }],
    ["Marcus's job, not started, needs a yes", job('assigned', marcus), { kind: 'confirm', reason: 'takes-from-agent' }],
    ["Marcus's job he visited once needs a yes", job('attempted', marcus), { kind: 'confirm', reason: 'takes-from-agent' }],
    ['Marcus driving to it: under way', job('en_route', marcus), { kind: 'confirm', reason: 'under-way' }],
    ['Marcus at the door: under way', job('on_site', marcus), { kind: 'confirm', reason: 'under-way' }],
    ['partly recovered by Marcus: under way', job('partially_recovered', marcus), { kind: 'confirm', reason: 'under-way' }],
    ['a Closed job is left out', job('closed', null), { kind: 'skip', reason: 'status' }],
    ['a Cancelled job is left out', job('cancelled', null), { kind: 'skip', reason: 'status' }],
    ['a Recovered job is left out', job('recovered', marcus), { kind: 'skip', reason: 'status' }],
    ['a job on hold is left out (resume it first)', job('on_hold', null), { kind: 'skip', reason: 'status' }],
    ["a job already on Tomás's list is left out", job('assigned', tomas), { kind: 'skip', reason: 'already-theirs' }],
  ])('assigning to Tomás: %s', (_what, subject, verdict) => {
    expect(bulkVerdict(toTomas, subject)).toEqual(verdict);
  });

  it.each<[string, BulkJob, ReturnType<typeof bulkVerdict>]>([
    ["taking a job off Marcus's list needs a yes", job('assigned', marcus), { kind: 'confirm', reason: 'takes-from-agent' }],
    ['a job nobody has is left out', job('unassigned', null), { kind: 'skip', reason: 'nobody-on-it' }],
    ['a job under way is left out: nobody would be responsible for the van at the door', job('on_site', marcus), { kind: 'skip', reason: 'under-way' }],
    ['a Closed job is left out', job('closed', marcus), { kind: 'skip', reason: 'status' }],
  ])('unassigning: %s', (_what, subject, verdict) => {
    expect(bulkVerdict({ kind: 'unassign' }, subject)).toEqual(verdict);
  });

  it.each<[BulkAction, BulkJob, ReturnType<typeof bulkVerdict>]>([
    [{ kind: 'hold' }, job('unassigned', null), { kind: 'apply' }],
    [{ kind: 'hold' }, job('assigned', marcus), { kind: 'confirm', reason: 'takes-from-agent' }],
    [{ kind: 'hold' }, job('en_route', marcus), { kind: 'confirm', reason: 'under-way' }],
    [{ kind: 'hold' }, job('on_hold', null), { kind: 'skip', reason: 'status' }],
    [{ kind: 'hold' }, job('partially_recovered', marcus), { kind: 'skip', reason: 'status' }],
    [{ kind: 'cancel' }, job('on_site', marcus), { kind: 'confirm', reason: 'under-way' }],
    [{ kind: 'cancel' }, job('closed', null), { kind: 'skip', reason: 'status' }],
  ])('%o on %o', (action, subject, verdict) => {
    expect(bulkVerdict(action, subject)).toEqual(verdict);
  });

  it('sorts a box selection the way the confirmation lists it', () => {
    const selection = [job('unassigned', null, 'a'), job('closed', null, 'b'), job('en_route', marcus, 'c'), job('assigned', marcus, 'd'), job('closed', null, 'e')];
    const plan = planBulk(toTomas, selection);
    expect(plan.apply.map((entry) => entry.id)).toEqual(['a']);
    expect(plan.confirm.map(({ job: entry, reason }) => [entry.id, reason])).toEqual([
      ['c', 'under-way'],
      ['d', 'takes-from-agent'],
    ]);
    expect(plan.skip.map(({ job: entry }) => entry.id)).toEqual(['b', 'e']);
  });

  it('says why in words that group and name the agent', () => {
    expect(skipWords(toTomas, job('closed', null), 'status', nameOf)).toBe('Closed — cannot be assigned');
    expect(skipWords(toTomas, job('assigned', tomas), 'already-theirs', nameOf)).toBe("already on Tomás Herrera's list");
    expect(standingWords(job('en_route', marcus), nameOf)).toBe('En route with Marcus Bell');
    expect(standingWords(job('assigned', marcus), nameOf)).toBe('Assigned to Marcus Bell');
    expect(changedSinceWords(job('assigned', marcus), job('en_route', marcus), nameOf)).toBe('started meanwhile (now En route with Marcus Bell)');
    expect(changedSinceWords(job('unassigned', null), job('assigned', tomas), nameOf)).toBe('moved meanwhile (now Assigned to Tomás Herrera)');
    expect(changedSinceWords(job('assigned', marcus), job('assigned', marcus), nameOf)).toBeNull();
  });
});

describe('the bulk rule over every status and assignee', () => {
  const anyJob = fc.record({
    id: fc.constant('job'),
    status: fc.constantFrom(...jobStatuses),
    assignedAgentId: fc.constantFrom<string | null>(null, marcus, tomas),
  });
  const anyAction = fc.constantFrom<BulkAction>({ kind: 'assign', agentId: tomas }, { kind: 'assign', agentId: marcus }, { kind: 'unassign' }, { kind: 'hold' }, { kind: 'cancel' });

  it('never moves a job off an agent, or a job under way, without a confirmation', () => {
    fc.assert(
      fc.property(anyAction, anyJob, (action, subject) => {
        if (bulkVerdict(action, subject).kind === 'apply') {
          expect(subject.assignedAgentId).toBeNull();
          expect(isUnderWay(subject.status)).toBe(false);
        }
      }),
    );
  });

  it('leaves out every job the state machine would refuse, so the server has nothing to refuse for it', () => {
    fc.assert(
      fc.property(anyAction, anyJob, (action, subject) => {
        const verdict = bulkVerdict(action, subject);
        if (action.kind === 'hold' || action.kind === 'cancel') {
          expect(verdict.kind === 'skip').toBe(!canTransition(subject.status, action.kind === 'hold' ? 'on_hold' : 'cancelled', 'office'));
        }
        if (['closed', 'cancelled', 'recovered'].includes(subject.status)) expect(verdict.kind).toBe('skip');
      }),
    );
  });

  it('calls finished exactly the jobs no act applies to, so a selection may leave them out', () => {
    fc.assert(
      fc.property(anyJob, (subject) => {
        const actions: BulkAction[] = [{ kind: 'assign', agentId: tomas }, { kind: 'assign', agentId: marcus }, { kind: 'unassign' }, { kind: 'hold' }, { kind: 'cancel' }];
        const noneApplies = actions.every((action) => bulkVerdict(action, subject).kind === 'skip');
        expect(isFinished(subject.status)).toBe(noneApplies);
      }),
    );
  });
});
