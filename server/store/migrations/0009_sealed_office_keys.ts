import type { Kysely, Migration } from 'kysely';

/**
 * Office signing keys are sealed at rest (AES-256-GCM under a key-encryption key the database
 * does not hold). The column is renamed so nothing reads a sealed value as PKCS#8; the rows
 * themselves are sealed by the server at start-up, since only it has the key-encryption key.
 */
export function sealedOfficeKeysSchema(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('office_signing_keys').renameColumn('private_pkcs8', 'private_key_sealed').execute();
    },
  };
}
