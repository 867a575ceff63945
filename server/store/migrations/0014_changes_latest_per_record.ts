import type { Kysely, Migration } from 'kysely';

/**
 * Pull keeps only each record's latest change-log row (changeLog().readLatestAfter): for every
 * row it asks whether a later row of the same record exists for the same audience. This index
 * answers that with one probe. Additive only, so an older instance keeps working beside it.
 */
export function changesLatestPerRecordSchema(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('changes_audience_record_seq')
        .on('changes')
        .columns(['audience_user_id', 'entity', 'entity_id', 'seq'])
        .execute();
    },
  };
}
