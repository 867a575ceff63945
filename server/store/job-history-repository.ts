import { sql, type Kysely } from 'kysely';
import type { JobNote, JobStatusChange } from '../../shared/domain/job';
import { JobStatus } from '../../shared/domain/job-status';
import { storeKindOf } from './dialect';
import type { Database, JobNotesTable, JobStatusChangesTable } from './schema';
import { insertTextRowsStatement } from './text-columns';

function toStatusChange(row: JobStatusChangesTable): JobStatusChange {
  return {
    id: row.id,
    jobId: row.job_id,
    from: JobStatus.parse(row.from_status),
    to: JobStatus.parse(row.to_status),
    at: row.at,
    byUserId: row.by_user_id,
    reason: row.reason,
  };
}

function toNote(row: JobNotesTable): JobNote {
  return { id: row.id, jobId: row.job_id, text: row.text, at: row.at, byUserId: row.by_user_id };
}

/** A job's history: its status changes and notes. Both are append-only, never edited. */
export function jobHistoryRepository(db: Kysely<Database>) {
  return {
    async recordStatusChange(change: JobStatusChange, hlc: string): Promise<void> {
      await db
        .insertInto('job_status_changes')
        .values({
          id: change.id,
          job_id: change.jobId,
          from_status: change.from,
          to_status: change.to,
          at: change.at,
          by_user_id: change.byUserId,
          reason: change.reason,
          hlc,
        })
        .execute();
    },

    /** recordStatusChange for many, in one statement (the caller keeps them to a few hundred). */
    async recordStatusChanges(changes: readonly { change: JobStatusChange; hlc: string }[]): Promise<void> {
      if (changes.length === 0) return;
      await db
        .insertInto('job_status_changes')
        .values(
          changes.map(({ change, hlc }) => ({ id: change.id, job_id: change.jobId, from_status: change.from, to_status: change.to, at: change.at, by_user_id: change.byUserId, reason: change.reason, hlc })),
        )
        .execute();
    },

    async addNote(note: JobNote, hlc: string): Promise<void> {
      await db
        .insertInto('job_notes')
        .values({ id: note.id, job_id: note.jobId, text: note.text, at: note.at, by_user_id: note.byUserId, hlc })
        .execute();
    },

    /**
     * addNote for many (a push batch's notes; at most a batch's 200), in one statement that skips
     * the ids already taken and returns the ids it inserted: an id left out was taken by an
     * earlier push, or by a concurrent one, which this waits for. The caller sends each id once.
     */
    async addNotesWhereIdIsFree(notes: readonly { note: JobNote; hlc: string }[]): Promise<Set<string>> {
      if (notes.length === 0) return new Set();
      if (storeKindOf(db) === 'postgres') {
        const rows = notes.map(({ note, hlc }) => [note.id, note.jobId, note.text, note.at, note.byUserId, hlc]);
        const insert = insertTextRowsStatement({ table: 'job_notes', columns: ['id', 'job_id', 'text', 'at', 'by_user_id', 'hlc'], rows });
        const { rows: inserted } = await sql<{ id: string }>`${insert} on conflict (id) do nothing returning id`.execute(db);
        return new Set(inserted.map((row) => row.id));
      }
      const inserted = await db
        .insertInto('job_notes')
        .values(notes.map(({ note, hlc }) => ({ id: note.id, job_id: note.jobId, text: note.text, at: note.at, by_user_id: note.byUserId, hlc })))
        .onConflict((conflict) => conflict.column('id').doNothing())
        .returning('id')
        .execute();
      return new Set(inserted.map((row) => row.id));
    },

    async statusChangeExists(id: string): Promise<boolean> {
      return (await db.selectFrom('job_status_changes').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
    },

    async statusChangesOf(jobId: string): Promise<JobStatusChange[]> {
      const rows = await db.selectFrom('job_status_changes').selectAll().where('job_id', '=', jobId).orderBy('hlc').orderBy('id').execute();
      return rows.map(toStatusChange);
    },

    async notesOf(jobId: string): Promise<JobNote[]> {
      const rows = await db.selectFrom('job_notes').selectAll().where('job_id', '=', jobId).orderBy('hlc').orderBy('id').execute();
      return rows.map(toNote);
    },

    async statusChangesByIds(ids: readonly string[]): Promise<Map<string, JobStatusChange>> {
      if (ids.length === 0) return new Map();
      const rows = await db.selectFrom('job_status_changes').selectAll().where('id', 'in', [...ids]).execute();
      return new Map(rows.map((row) => [row.id, toStatusChange(row)]));
    },

    async notesByIds(ids: readonly string[]): Promise<Map<string, JobNote>> {
      if (ids.length === 0) return new Map();
      const rows = await db.selectFrom('job_notes').selectAll().where('id', 'in', [...ids]).execute();
      return new Map(rows.map((row) => [row.id, toNote(row)]));
    },
  };
}
