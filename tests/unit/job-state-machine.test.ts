import { describe, expect, it } from 'vitest';
import {
  allowedTransitions,
  canTransition,
  decideTransition,
  isFieldFact,
  isTerminal,
  jobStatuses,
  type JobStatus,
  type TransitionActor,
} from '../../shared/domain/job-status';

/**
 * The full table of allowed transitions, written out by hand so that a change to the state
 * machine has to be made twice: once in shared/ and once here, on purpose.
 */
const allowed: Record<JobStatus, Partial<Record<JobStatus, TransitionActor>>> = {
  unassigned: { assigned: 'office', on_hold: 'office', cancelled: 'office' },
  assigned: { en_route: 'field', on_site: 'field', unassigned: 'office', on_hold: 'office', cancelled: 'office' },
  en_route: { on_site: 'field', assigned: 'field', on_hold: 'office', cancelled: 'office' },
  on_site: {
    recovered: 'field',
    partially_recovered: 'field',
    attempted: 'field',
    on_hold: 'office',
    cancelled: 'office',
  },
  attempted: {
    en_route: 'field',
    on_site: 'field',
    unassigned: 'office',
    on_hold: 'office',
    cancelled: 'office',
    closed: 'office',
  },
  partially_recovered: { en_route: 'field', on_site: 'field', closed: 'office' },
  recovered: { closed: 'office' },
  on_hold: { unassigned: 'office', assigned: 'office', cancelled: 'office' },
  cancelled: {},
  closed: {},
};

const actors: TransitionActor[] = ['field', 'office'];

describe('job state machine', () => {
  for (const from of jobStatuses) {
    for (const to of jobStatuses) {
      for (const actor of actors) {
        const expected = allowed[from][to] === actor;
        it(`${expected ? 'allows' : 'refuses'} ${from} → ${to} by the ${actor}`, () => {
          expect(canTransition(from, to, actor)).toBe(expected);
        });
      }
    }
  }

  it('offers the UI exactly the allowed transitions for each actor', () => {
    for (const from of jobStatuses) {
      for (const actor of actors) {
        const offered = allowedTransitions(from, actor).map((rule) => rule.to).sort();
        const expected = (Object.entries(allowed[from]) as [JobStatus, TransitionActor][])
          .filter(([, by]) => by === actor)
          .map(([to]) => to)
          .sort();
        expect(offered).toEqual(expected);
      }
    }
  });

  it('never allows a status to transition to itself', () => {
    for (const status of jobStatuses) {
      for (const actor of actors) expect(canTransition(status, status, actor)).toBe(false);
    }
  });

  it('treats only cancelled and closed as terminal', () => {
    expect(jobStatuses.filter(isTerminal)).toEqual(['cancelled', 'closed']);
  });

  it('gives every transition a label for its button', () => {
    for (const from of jobStatuses) {
      for (const actor of actors) {
        for (const rule of allowedTransitions(from, actor)) expect(rule.action.length).toBeGreaterThan(0);
      }
    }
  });
});

describe('deciding a synced status change', () => {
  it('applies a valid change made from the status the server still holds', () => {
    expect(decideTransition('assigned', { from: 'assigned', to: 'en_route' }, 'field')).toEqual({ kind: 'apply' });
  });

  it('rejects an invalid change with words', () => {
    const decision = decideTransition('cancelled', { from: 'assigned', to: 'en_route' }, 'field');
    expect(decision.kind).toBe('reject');
    if (decision.kind === 'reject') expect(decision.reason).toMatch(/Cancelled cannot become En route/);
  });

  it('keeps a field fact recorded after the office put the job on hold, flagged for review', () => {
    const decision = decideTransition('on_hold', { from: 'on_site', to: 'recovered' }, 'field');
    expect(decision.kind).toBe('apply-flagged');
  });

  it('never rejects a recovery recorded in the field, whatever the server holds', () => {
    for (const current of jobStatuses) {
      for (const to of jobStatuses.filter(isFieldFact)) {
        const decision = decideTransition(current, { from: 'on_site', to }, 'field');
        expect(decision.kind).not.toBe('reject');
      }
    }
  });

  it('does not let the office record a field fact', () => {
    expect(decideTransition('on_site', { from: 'on_site', to: 'recovered' }, 'office').kind).toBe('reject');
  });
});
