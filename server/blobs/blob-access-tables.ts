/** Who may read a blob (migration 0013), as Kysely sees it. */

/** Each user who sent a blob's bytes: holding the bytes is the right to read them back. */
export interface BlobUploadsTable {
  hash: string;
  user_id: string;
  uploaded_at: string;
}

/**
 * Each job whose records name a blob (photos, signatures, custody events, personal property and
 * its events). Filled by database triggers on insert, so no writer can forget it.
 */
export interface BlobReferencesTable {
  hash: string;
  job_id: string;
}
