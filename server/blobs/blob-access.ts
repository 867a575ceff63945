import type { Kysely } from 'kysely';
import { scopeOf } from '../../shared/auth/role-matrix';
import type { Principal } from '../auth/principal';
import type { Database } from '../store/schema';

/** Who is asking: only the user and their role matter to a blob. */
export type BlobReader = Pick<Principal, 'userId' | 'role'>;

/**
 * Who may read a photo or signature. A blob's name is its SHA-256, which is no secret: it is
 * printed in custody records, bundles and PDFs. So knowing the name is never enough. A blob is
 * readable by whoever sent its bytes (they hold them anyway), by an agent assigned to a job whose
 * records name it, and by the office, which sees every job. Everyone else is told it is not
 * there, so a guessed or leaked name does not even confirm that the customer's photo exists.
 */
export function blobAccess(db: Kysely<Database>) {
  async function uploaded(hash: string, userId: string): Promise<boolean> {
    const row = await db.selectFrom('blob_uploads').select('hash').where('hash', '=', hash).where('user_id', '=', userId).executeTakeFirst();
    return row !== undefined;
  }

  async function namedOnVisibleJob(hash: string, reader: BlobReader): Promise<boolean> {
    // The same reach as reading the jobs themselves: the role matrix's right to read blobs.
    const scope = scopeOf('blobs.read', reader.role);
    if (scope === null) return false;
    if (scope !== 'own jobs') {
      const row = await db.selectFrom('blob_references').select('hash').where('hash', '=', hash).executeTakeFirst();
      return row !== undefined;
    }
    const row = await db
      .selectFrom('blob_references')
      .innerJoin('jobs', 'jobs.id', 'blob_references.job_id')
      .select('blob_references.hash')
      .where('blob_references.hash', '=', hash)
      .where('jobs.assigned_agent_id', '=', reader.userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async function mayRead(hash: string, reader: BlobReader): Promise<boolean> {
    return (await uploaded(hash, reader.userId)) || namedOnVisibleJob(hash, reader);
  }

  return {
    /**
     * Records that `userId` sent these bytes; true when this user had not sent them before. Sending
     * the bytes proves holding them, so a second user's upload of the same photo is recorded too.
     */
    async recordUpload(hash: string, userId: string, at: string): Promise<boolean> {
      const inserted = await db
        .insertInto('blob_uploads')
        .values({ hash, user_id: userId, uploaded_at: at })
        .onConflict((oc) => oc.columns(['hash', 'user_id']).doNothing())
        .returning('hash')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    mayRead,

    /**
     * Whether a record the reader pushes may name this blob: only one they may read, or else a
     * record could smuggle another agent's photo onto the pusher's own job and open it to them.
     * A blob nobody is recorded as sending and no record names was uploaded before uploads were
     * recorded; its record is arriving now, and refusing it would strand that evidence.
     */
    async mayName(hash: string, reader: BlobReader): Promise<boolean> {
      if (await mayRead(hash, reader)) return true;
      const anyUpload = await db.selectFrom('blob_uploads').select('hash').where('hash', '=', hash).executeTakeFirst();
      if (anyUpload) return false;
      const anyReference = await db.selectFrom('blob_references').select('hash').where('hash', '=', hash).executeTakeFirst();
      return anyReference === undefined;
    },
  };
}
