import type { Role } from '../../shared/domain/roles';

/** The signed-in user behind a request, as established from the bearer token. */
export interface Principal {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly deviceId: string | null;
  readonly tokenHash: string;
  readonly expiresAt: string;
}
