import { expect, it } from 'vitest';
import { actions, callers, jobWithinScope, mayDo, roleMatrix, scopeOf, scopes } from '../../shared/auth/role-matrix';
import { roles } from '../../shared/domain/roles';

it('opens a public action to every role too, and no other action to anyone signed out', () => {
  for (const action of actions) {
    const rule = roleMatrix[action];
    if (rule.anonymous === 'public') for (const role of roles) expect(scopeOf(action, role), `${action} ${role}`).toBe('public');
    else for (const role of roles) expect(scopeOf(action, role), `${action} ${role}`).not.toBe('public');
  }
});

it('names only known scopes and callers', () => {
  for (const action of actions) {
    for (const caller of callers) {
      const scope = roleMatrix[action][caller];
      if (scope !== null) expect(scopes).toContain(scope);
    }
  }
});

it("never lets an agent reach another agent's jobs, the office's views or administration", () => {
  for (const action of actions) expect(scopeOf(action, 'agent'), action).not.toBe('all jobs');
  for (const action of ['jobs.search', 'jobs.write', 'users.read', 'custody.read', 'custody.export', 'custody.dispose', 'audit.read', 'users.manage', 'devices.manage', 'orgKey.rotate'] as const) {
    expect(mayDo('agent', action), action).toBe(false);
  }
});

it('gives job writes to dispatchers and admins, evidence and the audit log to supervisors and admins, administration to admins', () => {
  expect(roles.filter((role) => mayDo(role, 'jobs.write'))).toEqual(['dispatcher', 'admin']);
  for (const action of ['custody.export', 'custody.dispose', 'audit.read'] as const) expect(roles.filter((role) => mayDo(role, action)), action).toEqual(['supervisor', 'admin']);
  for (const action of ['users.manage', 'devices.manage', 'orgKey.rotate'] as const) expect(roles.filter((role) => mayDo(role, action)), action).toEqual(['admin']);
});

it('reaches a job in "own jobs" only when it is assigned to the caller', () => {
  const me = '01900000-0000-7000-8000-000000000001';
  expect(jobWithinScope('own jobs', me, { assignedAgentId: me })).toBe(true);
  expect(jobWithinScope('own jobs', me, { assignedAgentId: '01900000-0000-7000-8000-000000000002' })).toBe(false);
  expect(jobWithinScope('own jobs', me, { assignedAgentId: null })).toBe(false);
  expect(jobWithinScope('all jobs', me, { assignedAgentId: null })).toBe(true);
  expect(jobWithinScope('own account', me, { assignedAgentId: me })).toBe(false);
});
