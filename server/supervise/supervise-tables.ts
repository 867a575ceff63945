/** The supervise tables (migrations 0007 and 0009), as Kysely sees them. */

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

/**
 * One Ed25519 key per office user who records dispositions. The private half is PKCS#8 sealed
 * with AES-256-GCM under the key-encryption key (office-key-vault.ts), bound to this row.
 */
export interface OfficeSigningKeysTable {
  device_key_id: string;
  user_id: string;
  private_key_sealed: string;
  created_at: string;
}
