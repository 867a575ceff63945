import { describe, expect, it } from 'vitest';
import { askFor, jobsToSend, outcomeOf, undoOutcome, undoRequests, type BulkSubject } from '../../renderer/features/dispatch/bulk-act';
import type { BulkResult } from '../../shared/dispatch/dispatch-api';
import { makeJob } from './renderer-test-fixtures';

const marcus = '00000000-0000-7000-8000-00000000000a';
const tomas = '00000000-0000-7000-8000-00000000000b';
const nameOf = (id: string) => (id === marcus ? 'Marcus Bell' : id === tomas ? 'Tomás Herrera' : 'someone');
const id = (n: number) => `00000000-0000-7000-8000-0000000001${String(n).padStart(2, '0')}`;

const free: BulkSubject = { id: id(1), status: 'unassigned', assignedAgentId: null, name: 'Ana Ruiz' };
const driving: BulkSubject = { id: id(2), status: 'en_route', assignedAgentId: marcus, name: 'Ben Cole' };
const closedOne: BulkSubject = { id: id(3), status: 'closed', assignedAgentId: null, name: 'Cy Diaz' };
const closedTwo: BulkSubject = { id: id(4), status: 'closed', assignedAgentId: null, name: 'Di Eng' };
const started: BulkSubject = { id: id(5), status: 'assigned', assignedAgentId: marcus, name: 'Ed Fox' };

function done(subject: BulkSubject, agentId: string | null, status = subject.status): BulkResult['results'][number] {
  return { jobId: subject.id, outcome: 'done', reason: null, refusal: null, job: makeJob({ id: subject.id, status, assignedAgentId: agentId }) };
}

describe('a bulk assignment in the dispatcher’s words', () => {
  const ask = askFor({ kind: 'assign', agentId: tomas }, [free, driving, closedOne, closedTwo, started]);

  it('sends what applies, and what needed a yes only when confirmed, each as the dispatcher saw it', () => {
    expect(jobsToSend(ask, false)).toEqual({ jobIds: [free.id], seen: [{ jobId: free.id, agentId: null, status: 'unassigned', confirmed: false }] });
    expect(jobsToSend(ask, true).seen.map((entry) => [entry.jobId, entry.confirmed])).toEqual([
      [free.id, false],
      [driving.id, true],
      [started.id, true],
    ]);
  });

  it('groups the answer: done with names and whom from, skipped once per reason, refused with why', () => {
    const result: BulkResult = {
      results: [
        done(free, tomas, 'assigned'),
        done(driving, tomas),
        { jobId: started.id, outcome: 'refused', reason: 'started meanwhile (now En route with Marcus Bell)', refusal: 'changed_meanwhile', job: null },
      ],
    };
    expect(outcomeOf(ask, result, nameOf).lines).toEqual([
      { kind: 'done', text: 'Assigned 2 jobs to Tomás Herrera (1 taken from Marcus Bell): Ana Ruiz, Ben Cole' },
      { kind: 'skipped', text: 'Skipped 2 — Closed — cannot be assigned: Cy Diaz, Di Eng' },
      { kind: 'refused', text: 'Refused 1: Ed Fox — started meanwhile (now En route with Marcus Bell)' },
    ]);
  });

  it('says which jobs were left with their agents when the dispatcher went ahead without them', () => {
    const lines = outcomeOf(ask, { results: [done(free, tomas, 'assigned')] }, nameOf, [driving, started]).lines;
    expect(lines[1]).toEqual({ kind: 'skipped', text: 'Left with their agents 2 (you chose not to take them): Ben Cole (En route with Marcus Bell), Ed Fox (Assigned to Marcus Bell)' });
  });

  it('undoes by giving each job back to whoever had it, confirmed as it stands after the act', () => {
    const { undoable } = outcomeOf(ask, { results: [done(free, tomas, 'assigned'), done(driving, tomas)] }, nameOf);
    expect(undoRequests(undoable)).toEqual([
      { agentId: null, jobIds: [free.id], seen: [{ jobId: free.id, agentId: tomas, status: 'assigned', confirmed: true }] },
      { agentId: marcus, jobIds: [driving.id], seen: [{ jobId: driving.id, agentId: tomas, status: 'en_route', confirmed: true }] },
    ]);
    expect(
      undoOutcome(undoable, [done(free, null, 'unassigned'), { jobId: driving.id, outcome: 'refused', reason: 'changed meanwhile (now On site with Tomás Herrera)', refusal: 'changed_meanwhile', job: null }]),
    ).toEqual([
      { kind: 'done', text: 'Undone: 1 job back where it was: Ana Ruiz' },
      { kind: 'refused', text: 'Not put back 1, changed since: Ben Cole — changed meanwhile (now On site with Tomás Herrera)' },
    ]);
  });

  it('offers no undo for a hold or a cancel', () => {
    const hold = askFor({ kind: 'hold' }, [free], 'client asked');
    expect(outcomeOf(hold, { results: [done(free, null, 'on_hold')] }, nameOf).undoable).toEqual([]);
  });
});
