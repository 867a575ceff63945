import type { FastifyRequest } from 'fastify';
import { isPublicAction, jobWithinScope, rolesFor, scopeOf, type Action, type Scope } from '../../shared/auth/role-matrix';
import type { Job } from '../../shared/domain/job';
import { officeRoles } from '../../shared/domain/roles';
import { authenticate } from '../auth/authenticate';
import type { Principal } from '../auth/principal';
import type { ServerContext } from '../context';
import { jobsRepository } from '../store/jobs-repository';
import { problems } from './problem';

/**
 * A caller's right to one action, as the role matrix grants it, with the one scope check a
 * handler needs: whether a job is within reach. Handlers never look at the role themselves.
 */
export interface Grant {
  readonly action: Action;
  readonly scope: Scope;
  /** Whether this job is within the grant's scope (an agent's own job, or any job for the office). */
  allowsJob(job: { readonly assignedAgentId: string | null }): boolean;
  /**
   * The job, when it exists and is within scope; otherwise 404 in the given words. Another
   * agent's job gets the same answer as a job that does not exist: its existence is not confirmed.
   */
  requireJobInScope(jobId: string, notFound?: string): Promise<Job>;
}

export function grantFor(context: ServerContext, principal: Principal, action: Action, scope: Scope): Grant {
  const allowsJob = (job: { readonly assignedAgentId: string | null }) => jobWithinScope(scope, principal.userId, job);
  return {
    action,
    scope,
    allowsJob,
    async requireJobInScope(jobId, notFound = 'No such job.') {
      const job = await jobsRepository(context.store.db).find(jobId);
      if (!job || !allowsJob(job)) throw problems.notFound(notFound);
      return job;
    },
  };
}

function refusal(action: Action): string {
  const allowed = rolesFor(action);
  if (allowed.length === officeRoles.length && allowed.every((role) => officeRoles.includes(role))) {
    return 'Only office users (dispatcher, supervisor, admin) may do this.';
  }
  return `Only these roles may do this: ${allowed.join(', ')}.`;
}

/**
 * The guard every API route runs before its handler: a public action lets anyone through without
 * looking at a token; any other needs a live session (401 otherwise, 403 for a revoked device or
 * a disabled account) of a role the matrix grants the action (403 otherwise).
 */
export async function admit(context: ServerContext, request: FastifyRequest, action: Action): Promise<{ principal: Principal; grant: Grant } | null> {
  if (isPublicAction(action)) return null;
  const principal = await authenticate(context, request);
  // Set before the role check so a refusal is audited under the user who asked.
  request.principal = principal;
  const scope = scopeOf(action, principal.role);
  if (scope === null) throw problems.forbidden(refusal(action));
  return { principal, grant: grantFor(context, principal, action, scope) };
}
