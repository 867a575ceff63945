/** The supervise tables (migration 0007), as Kysely sees them. */

/**
 * Every write request the server answered: who (user, role, device), when, what (method, route,
 * path, status) and from which address. Append-only: nothing in the server updates or deletes it.
 */
export interface AuditLogTable {
  id: string;
  at: string;
  user_id: string | null;
  username: string | null;
  role: string | null;
  device_id: string | null;
  method: string;
  route: string;
  path: string;
  status: number;
  address: string | null;
}

/** One Ed25519 key per office user who records dispositions; private half as base64url PKCS#8. */
export interface OfficeSigningKeysTable {
  device_key_id: string;
  user_id: string;
  private_pkcs8: string;
  created_at: string;
}
