import type { Role } from '../../shared/domain/roles';

/** The signed-in user behind a request, as established from the bearer token. */
export interface Principal {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly deviceId: string | null;
  readonly tokenHash: string;
  /** When this chain of sessions began with a password; refreshing never moves it. */
  readonly signedInAt: string;
  readonly expiresAt: string;
}
