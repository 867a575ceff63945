import type { Kysely } from 'kysely';
import { doorEntities, type DoorEntity } from '../../shared/sync/door-protocol';
import type { Database } from './schema';

export type ChangeEntity = 'job' | 'jobRemoval' | 'jobStatusChange' | 'jobNote' | DoorEntity;

export interface ChangeLogEntry {
  readonly seq: number;
  readonly entity: ChangeEntity;
  readonly entityId: string;
  readonly jobId: string;
}

/** The audience of a log row: one agent, or the office (every office user reads the same rows). */
export type Audience = { readonly agentId: string } | 'office';

interface Appended {
  readonly entity: ChangeEntity;
  readonly entityId: string;
  readonly jobId: string;
}

const changeEntities: readonly ChangeEntity[] = ['job', 'jobRemoval', 'jobStatusChange', 'jobNote', ...doorEntities];

function isChangeEntity(text: string): text is ChangeEntity {
  return (changeEntities as readonly string[]).includes(text);
}

/**
 * The server's monotonic change log: what pull walks with its cursor. Rows carry no payload;
 * pull reads the current snapshot, so a later row for the same record only ever re-sends newer
 * data. Each row is written per audience so an agent's pull is one indexed range scan and can
 * never reach another agent's rows.
 */
export function changeLog(db: Kysely<Database>) {
  return {
    async append(audience: Audience, entries: readonly Appended[]): Promise<void> {
      if (entries.length === 0) return;
      const audienceUserId = audience === 'office' ? null : audience.agentId;
      await db
        .insertInto('changes')
        .values(
          entries.map((entry) => ({
            entity: entry.entity,
            entity_id: entry.entityId,
            job_id: entry.jobId,
            audience_user_id: audienceUserId,
            op: entry.entity === 'jobRemoval' ? 'remove' : 'upsert',
          })),
        )
        .execute();
    },

    /** Up to `limit` rows after `cursor` for this audience, in sequence order. */
    async readAfter(audience: Audience, cursor: number, limit: number): Promise<ChangeLogEntry[]> {
      let query = db.selectFrom('changes').select(['seq', 'entity', 'entity_id', 'job_id']).where('seq', '>', cursor);
      query =
        audience === 'office'
          ? query.where('audience_user_id', 'is', null)
          : query.where('audience_user_id', '=', audience.agentId);
      const rows = await query.orderBy('seq').limit(limit).execute();
      return rows.map((row) => {
        if (!isChangeEntity(row.entity)) throw new Error(`Unknown change log entity: ${row.entity}`);
        return { seq: Number(row.seq), entity: row.entity, entityId: row.entity_id, jobId: row.job_id };
      });
    },
  };
}
