import type { Role } from '../domain/roles';

/**
 * Who may do what: the one table every API route's guard reads, the OpenAPI document publishes
 * and the README prints. A route names one action; the table says, per role, how far the right
 * reaches. Nothing else in the code decides a role's rights.
 *
 * The trade's division of labour, decided once:
 * - agents work their own jobs in the field and read nothing of anyone else's;
 * - dispatchers write jobs: create, change, assign, hold or cancel, import, set a client's
 *   evidence checklist, clear the review inbox;
 * - supervisors read everything, record final dispositions, export evidence and read the audit
 *   log, but do not write jobs (the person who audits the work does not also dispatch it);
 * - admins manage users, devices and the organisation key, and hold every office right besides.
 *   A user has one role and an admin can appoint any dispatcher or supervisor, so withholding
 *   job writes from admins would protect nothing; it would only make a small organisation's
 *   owner keep a second account. Every admin write is in the audit log under their name.
 */

/** How far a granted right reaches. */
export const scopes = ['public', 'own account', 'own jobs', 'all jobs', 'organisation'] as const;
export type Scope = (typeof scopes)[number];

export const scopeMeanings: Record<Scope, string> = {
  public: 'anyone, signed in or not',
  'own account': "the caller's own sign-in, sessions and uploads",
  'own jobs': 'jobs assigned to the caller; any other job is answered 404, as if it did not exist',
  'all jobs': "every job of the organisation",
  organisation: 'organisation-wide records that belong to no one job',
};

/** The columns of the table: somebody not signed in, then each role. */
export const callers = ['anonymous', 'agent', 'dispatcher', 'supervisor', 'admin'] as const satisfies readonly ('anonymous' | Role)[];
export type Caller = (typeof callers)[number];

export interface ActionRule {
  /** What the right is, in the trade's words: "… may <summary>". */
  readonly summary: string;
  readonly anonymous: 'public' | null;
  readonly agent: Scope | null;
  readonly dispatcher: Scope | null;
  readonly supervisor: Scope | null;
  readonly admin: Scope | null;
}

const everyone = { anonymous: 'public', agent: 'public', dispatcher: 'public', supervisor: 'public', admin: 'public' } as const;
const everyRole = <S extends Scope>(scope: S) => ({ anonymous: null, agent: scope, dispatcher: scope, supervisor: scope, admin: scope }) as const;
const fieldAndOffice = { anonymous: null, agent: 'own jobs', dispatcher: 'all jobs', supervisor: 'all jobs', admin: 'all jobs' } as const;
const office = { anonymous: null, agent: null, dispatcher: 'all jobs', supervisor: 'all jobs', admin: 'all jobs' } as const;
const dispatch = { anonymous: null, agent: null, dispatcher: 'all jobs', supervisor: null, admin: 'all jobs' } as const;
const supervise = { anonymous: null, agent: null, dispatcher: null, supervisor: 'all jobs', admin: 'all jobs' } as const;
const auditors = { anonymous: null, agent: null, dispatcher: null, supervisor: 'organisation', admin: 'organisation' } as const;
const administration = { anonymous: null, agent: null, dispatcher: null, supervisor: null, admin: 'organisation' } as const;

export const roleMatrix = {
  'service.read': { summary: "check the server's health and read its OpenAPI document", ...everyone },
  'session.signIn': { summary: 'sign in with a user name and password', ...everyone },
  'orgKey.read': { summary: "read the organisation's signing key and its rotations (what a verifier pins)", ...everyone },
  'session.manage': { summary: 'see who is signed in, refresh the session, sign out here or everywhere', ...everyRole('own account') },
  'sync.pull': { summary: 'receive jobs and their records by sync', ...fieldAndOffice },
  'sync.push': { summary: 'send door work, custody events, notes and status changes by sync (a status change from the office also needs jobs.write)', ...fieldAndOffice },
  'blobs.upload': { summary: 'upload a photo, signature or customer receipt', ...everyRole('own account') },
  'blobs.read': { summary: 'download a photo, signature or customer receipt: one the caller uploaded, or one a record on a job within reach names', ...fieldAndOffice },
  'regions.read': { summary: 'download map region packs', ...everyRole('organisation') },
  'clients.read': { summary: "read a client's evidence checklist and contact line", ...everyRole('organisation') },
  'custodyLog.read': { summary: "read the custody log's signed checkpoint and consistency proofs", ...everyRole('organisation') },
  'jobs.read': { summary: "read a job with its history, custody chain, log inclusion proofs, personal property and customer receipts", ...fieldAndOffice },
  'jobs.search': { summary: 'find and watch jobs: search, map, review inbox, refused custody events, live changes, the dispatch trail', ...office },
  'users.read': { summary: 'list active users, e.g. the agents a job can go to', anonymous: null, agent: null, dispatcher: 'organisation', supervisor: 'organisation', admin: 'organisation' },
  'jobs.write': { summary: "write jobs: create, change, assign, hold or cancel, import, set a client's checklist and contact line, clear the review inbox", ...dispatch },
  'custody.read': { summary: "search custody records and read an item's timeline", ...supervise },
  'custody.dispose': { summary: "record an item's final disposition", ...supervise },
  'custody.export': { summary: 'export custody records as a verifiable bundle, a signed PDF or CSV', ...supervise },
  'reports.read': { summary: 'read the recovery figures', ...auditors },
  'audit.read': { summary: 'read and export the audit log', ...auditors },
  'users.manage': { summary: 'create users, change their role, disable them, set their password', ...administration },
  'devices.manage': { summary: 'list, revoke and release devices', ...administration },
  'orgKey.rotate': { summary: "rotate the organisation's signing key", ...administration },
} as const satisfies Record<string, ActionRule>;

export type Action = keyof typeof roleMatrix;
export const actions = Object.keys(roleMatrix) as Action[];

/** Actions anyone may take without signing in: their routes never look at a token. */
export type PublicAction = { [A in Action]: (typeof roleMatrix)[A]['anonymous'] extends 'public' ? A : never }[Action];

export function isAction(name: string): name is Action {
  return Object.hasOwn(roleMatrix, name);
}

export function isPublicAction(action: Action): action is PublicAction {
  return roleMatrix[action].anonymous === 'public';
}

/** How far `role`'s right to `action` reaches, or null when the role may not do it at all. */
export function scopeOf(action: Action, role: Role): Scope | null {
  return (roleMatrix[action] as ActionRule)[role];
}

export function mayDo(role: Role, action: Action): boolean {
  return scopeOf(action, role) !== null;
}

/** The roles that may do `action`, in the table's order. */
export function rolesFor(action: Action): Role[] {
  return callers.filter((caller): caller is Role => caller !== 'anonymous' && scopeOf(action, caller) !== null);
}

/** Whether a job lies within a granted scope for this user: the one rule behind every "own jobs" check. */
export function jobWithinScope(scope: Scope, userId: string, job: { readonly assignedAgentId: string | null }): boolean {
  switch (scope) {
    case 'own jobs':
      return job.assignedAgentId === userId;
    case 'all jobs':
    case 'organisation':
    case 'public':
      return true;
    case 'own account':
      return false;
  }
}
