import { join } from 'node:path';
import { AdminDevice, AdminUser } from '../../../shared/api/admin';
import type { Role } from '../../../shared/domain/roles';
import { hashSessionToken, newSessionToken } from '../../../server/auth/session-tokens';
import { createDatabase, type Store } from '../../../server/store/database';
import type { TestServer } from './server';

/** Everyone who may knock on an API door, as the role matrix test walks them. */
export const principalKinds = [
  'anonymous',
  'agentOnOwnJob',
  'agentOnAnothersJob',
  'dispatcher',
  'supervisor',
  'admin',
  'disabledUser',
  'revokedDevice',
  'expiredSession',
] as const;
export type PrincipalKind = (typeof principalKinds)[number];

export const principalLabels: Record<PrincipalKind, string> = {
  anonymous: 'anonymous',
  agentOnOwnJob: 'an agent on their own job',
  agentOnAnothersJob: "an agent on another agent's job",
  dispatcher: 'a dispatcher',
  supervisor: 'a supervisor',
  admin: 'an admin',
  disabledUser: 'a disabled user',
  revokedDevice: 'a revoked device',
  expiredSession: 'an expired session',
};

/** The role a principal signs in with; the refused ones are admins, so only the refusal can stop them. */
export function roleOf(kind: PrincipalKind): Role | null {
  switch (kind) {
    case 'anonymous':
      return null;
    case 'agentOnOwnJob':
    case 'agentOnAnothersJob':
      return 'agent';
    case 'dispatcher':
    case 'supervisor':
    case 'admin':
      return kind;
    case 'disabledUser':
    case 'revokedDevice':
    case 'expiredSession':
      return 'admin';
  }
}

export interface Principals {
  /** The user behind a principal (null for anonymous): what the audit log must name. */
  userIdOf(kind: PrincipalKind): string | null;
  /**
   * A new session for the principal, made for one request: a request that signs out, refreshes
   * or ends every session of its user then spoils no other cell.
   */
  token(kind: PrincipalKind): Promise<string | undefined>;
  /** The server's own database, opened beside it. */
  readonly store: Store;
  close(): Promise<void>;
}

interface SessionPlan {
  readonly userId: string;
  readonly deviceId: string | null;
  readonly expired: boolean;
}

const password = 'matrix-password-1';

/**
 * Makes every principal the matrix test needs: the demo's agent1 (on the laptop it registered),
 * dispatcher1, supervisor1 and admin; an admin whose account is disabled, an admin whose laptop
 * was revoked, and the demo admin with a session that has expired. Sessions are written straight
 * into the server's database (with only the token's hash, as the server keeps them), because a
 * walk of hundreds of cells cannot spend a password hash on each.
 */
export async function everyPrincipal(server: TestServer, adminToken: string, agentDeviceId: string): Promise<Principals> {
  const users = new Map<string, string>();
  for (const username of ['agent1', 'dispatcher1', 'supervisor1', 'admin']) {
    users.set(username, (await server.login(username)).user.id);
  }
  async function enrol(username: string): Promise<string> {
    const answer = await server.api('/api/v1/admin/users', { token: adminToken, json: { username, displayName: username, role: 'admin', password } });
    if (answer.status !== 201) throw new Error(`creating ${username}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return AdminUser.parse(answer.body).id;
  }

  const disabledId = await enrol('matrix.disabled');
  const disabled = await server.api(`/api/v1/admin/users/${disabledId}`, { method: 'PATCH', token: adminToken, json: { disabled: true } });
  if (AdminUser.parse(disabled.body).disabled !== true) throw new Error('matrix.disabled was not disabled');

  const revokedId = await enrol('matrix.revoked');
  const revokedDevice = 'matrix-revoked-laptop';
  const signIn = await server.api('/api/v1/auth/login', { json: { username: 'matrix.revoked', password, deviceId: revokedDevice } });
  if (signIn.status !== 200) throw new Error(`matrix.revoked signs in on its laptop: ${signIn.status}`);
  const revoked = await server.api(`/api/v1/admin/devices/${revokedDevice}/revoke`, { method: 'POST', token: adminToken });
  if (AdminDevice.parse(revoked.body).revokedAt === null) throw new Error('the laptop was not revoked');

  const id = (username: string) => users.get(username) ?? '';
  const plans: Record<Exclude<PrincipalKind, 'anonymous'>, SessionPlan> = {
    agentOnOwnJob: { userId: id('agent1'), deviceId: agentDeviceId, expired: false },
    agentOnAnothersJob: { userId: id('agent1'), deviceId: agentDeviceId, expired: false },
    dispatcher: { userId: id('dispatcher1'), deviceId: null, expired: false },
    supervisor: { userId: id('supervisor1'), deviceId: null, expired: false },
    admin: { userId: id('admin'), deviceId: null, expired: false },
    disabledUser: { userId: disabledId, deviceId: null, expired: false },
    revokedDevice: { userId: revokedId, deviceId: revokedDevice, expired: false },
    expiredSession: { userId: id('admin'), deviceId: null, expired: true },
  };

  const store = server.store === 'sqlite'
    ? await createDatabase({ kind: 'sqlite', file: join(server.dataDir, 'reclaim.sqlite') })
    : await createDatabase({ kind: 'postgres', url: server.databaseUrl ?? '' });

  return {
    store,
    userIdOf: (kind) => (kind === 'anonymous' ? null : plans[kind].userId),
    async token(kind) {
      if (kind === 'anonymous') return undefined;
      const plan = plans[kind];
      const token = newSessionToken();
      const now = Date.now();
      await store.db
        .insertInto('sessions')
        .values({
          token_hash: hashSessionToken(token),
          user_id: plan.userId,
          device_id: plan.deviceId,
          created_at: new Date(now - 60_000).toISOString(),
          expires_at: new Date(plan.expired ? now - 1_000 : now + 24 * 60 * 60 * 1000).toISOString(),
          revoked_at: null,
        })
        .execute();
      return token;
    },
    close: () => store.close(),
  };
}
