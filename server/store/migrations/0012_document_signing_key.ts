import type { Kysely, Migration } from 'kysely';

/**
 * The organisation's document-signing key for signed custody PDFs: an ECDSA P-256 key (what PDF
 * readers verify) certified by the organisation's Ed25519 key through an X.509 chain. One row per
 * organisation key and generation; the unique pair lets every instance on one database insert
 * its candidate and then sign with whichever row was stored first. The private key is sealed
 * with the key-encryption key, never stored in the clear.
 */
export function documentSigningKeySchema(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('document_signing_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_key_fingerprint', 'text', (c) => c.notNull())
        .addColumn('generation', 'integer', (c) => c.notNull())
        .addColumn('private_key_sealed', 'text', (c) => c.notNull())
        .addColumn('certificate', 'text', (c) => c.notNull())
        .addColumn('issuer_certificate', 'text', (c) => c.notNull())
        .addColumn('not_after', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('document_signing_keys_org_key_generation', ['org_key_fingerprint', 'generation'])
        .execute();
    },
  };
}
