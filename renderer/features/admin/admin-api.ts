import type { z } from 'zod';
import {
  AdminDevice,
  AdminDeviceList,
  AdminUser,
  AdminUserList,
  type CreateUserRequest,
  type UpdateUserRequest,
} from '../../../shared/api/admin';
import { Problem } from '../../../shared/api/problem';
import { OrgKeyHistory, OrgKeyRotationResult } from '../../../shared/api/trust';
import type { StoredSession } from '../../db/meta';
import { getBridge } from '../../platform/bridge';

/** A refusal from the server in words for the admin, e.g. "The user name ana is taken." */
export class AdminRequestError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'AdminRequestError';
  }
}

function required<T>(value: T | null): T {
  if (value === null) throw new AdminRequestError('The server sent an empty answer; try again.', 0);
  return value;
}

/** The admin screens are online-only office tools: they call the server directly. */
export function adminApi(session: StoredSession) {
  async function call<S extends z.ZodType>(method: string, path: string, schema: S | null, body?: unknown): Promise<z.output<S> | null> {
    const token = await getBridge().getSecret('session');
    let response: Response;
    try {
      response = await fetch(`${session.serverUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json, application/problem+json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(20_000),
      });
    } catch {
      throw new AdminRequestError('The sync server cannot be reached. Admin changes need a connection; try again when online.', 0);
    }
    if (!response.ok) {
      const problem = Problem.safeParse(await response.json().catch(() => null));
      throw new AdminRequestError(problem.success ? problem.data.detail : `The server refused the request (HTTP ${response.status}).`, response.status);
    }
    if (!schema) return null;
    return schema.parse(await response.json());
  }

  return {
    users: async () => (await call('GET', '/api/v1/admin/users', AdminUserList))?.users ?? [],
    devices: async () => (await call('GET', '/api/v1/admin/devices', AdminDeviceList))?.devices ?? [],
    createUser: (request: CreateUserRequest) => call('POST', '/api/v1/admin/users', AdminUser, request),
    updateUser: (id: string, change: UpdateUserRequest) => call('PATCH', `/api/v1/admin/users/${encodeURIComponent(id)}`, AdminUser, change),
    resetPassword: async (id: string, password: string) => {
      await call('POST', `/api/v1/admin/users/${encodeURIComponent(id)}/password`, null, { password });
    },
    revokeDevice: (id: string) => call('POST', `/api/v1/admin/devices/${encodeURIComponent(id)}/revoke`, AdminDevice),
    orgKeyHistory: async () => required(await call('GET', '/api/v1/org/signing-key/history', OrgKeyHistory)),
    rotateOrgKey: async () => required(await call('POST', '/api/v1/org/signing-key/rotate', OrgKeyRotationResult, {})),
  };
}
export type AdminApi = ReturnType<typeof adminApi>;
