import type { Kysely } from 'kysely';
import { ClientRequirements, defaultClientRequirements } from '../../shared/domain/client-requirements';
import { changeLog } from '../store/change-log';
import type { Database } from '../store/schema';

export interface StoredRequirements {
  readonly requirements: ClientRequirements;
  readonly updatedAt: string;
  readonly updatedByUserId: string;
}

/** Older rows may lack a requirement added later; it then takes its default. */
function parseRequirements(json: string): ClientRequirements {
  return ClientRequirements.parse({ ...defaultClientRequirements, ...(JSON.parse(json) as object) });
}

/**
 * Re-sends every open job of a client to the office and to its agent, so laptops get what the
 * client changed (checklist, contact line) at their next pull. Run it in the saving transaction.
 */
export async function resendOpenJobsOf(db: Kysely<Database>, clientId: string): Promise<void> {
  const open = await db
    .selectFrom('jobs')
    .select(['id', 'assigned_agent_id'])
    .where('client_id', '=', clientId)
    .where('status', 'not in', ['closed', 'cancelled'])
    .execute();
  const log = changeLog(db);
  await log.append('office', open.map((job) => ({ entity: 'job' as const, entityId: job.id, jobId: job.id })));
  for (const job of open) {
    if (job.assigned_agent_id !== null) await log.append({ agentId: job.assigned_agent_id }, [{ entity: 'job', entityId: job.id, jobId: job.id }]);
  }
}

export function clientRequirementsRepository(db: Kysely<Database>) {
  return {
    async clientExists(clientId: string): Promise<boolean> {
      return (await db.selectFrom('clients').select('id').where('id', '=', clientId).executeTakeFirst()) !== undefined;
    },

    async find(clientId: string): Promise<StoredRequirements | null> {
      const row = await db.selectFrom('client_requirements').selectAll().where('client_id', '=', clientId).executeTakeFirst();
      return row ? { requirements: parseRequirements(row.requirements_json), updatedAt: row.updated_at, updatedByUserId: row.updated_by_user_id } : null;
    },

    /** The requirements each of these clients set; clients that set none are absent. */
    async forClients(clientIds: readonly string[]): Promise<Map<string, ClientRequirements>> {
      if (clientIds.length === 0) return new Map();
      const rows = await db.selectFrom('client_requirements').select(['client_id', 'requirements_json']).where('client_id', 'in', [...clientIds]).execute();
      return new Map(rows.map((row) => [row.client_id, parseRequirements(row.requirements_json)]));
    },

    /**
     * Saves the requirements and re-sends every open job of the client to the office and to its
     * agent, so laptops get the new checklist at their next pull. Run it in a transaction.
     */
    async save(clientId: string, requirements: ClientRequirements, userId: string, at: string): Promise<void> {
      const values = { requirements_json: JSON.stringify(requirements), updated_at: at, updated_by_user_id: userId };
      await db
        .insertInto('client_requirements')
        .values({ client_id: clientId, ...values })
        .onConflict((conflict) => conflict.column('client_id').doUpdateSet(values))
        .execute();
      await resendOpenJobsOf(db, clientId);
    },
  };
}
