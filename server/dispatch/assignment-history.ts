import type { Kysely } from 'kysely';
import { newId } from '../../shared/ids';
import type { Database } from '../store/schema';

/** Every time a job changed hands: from whom, to whom, by whom, when. */
export function assignmentHistory(db: Kysely<Database>) {
  return {
    async record(move: { jobId: string; agentId: string | null; previousAgentId: string | null; at: string; byUserId: string }): Promise<void> {
      await db
        .insertInto('job_assignments')
        .values({ id: newId(), job_id: move.jobId, agent_id: move.agentId, previous_agent_id: move.previousAgentId, at: move.at, by_user_id: move.byUserId })
        .execute();
    },

    /** The same as record for many moves, in one statement (the caller keeps them to a few hundred). */
    async recordMany(moves: readonly { jobId: string; agentId: string | null; previousAgentId: string | null; at: string; byUserId: string }[]): Promise<void> {
      if (moves.length === 0) return;
      await db
        .insertInto('job_assignments')
        .values(moves.map((move) => ({ id: newId(), job_id: move.jobId, agent_id: move.agentId, previous_agent_id: move.previousAgentId, at: move.at, by_user_id: move.byUserId })))
        .execute();
    },

    /**
     * Whether the agent ever held the job. A move records the agent it left as well as the one it
     * went to, so this also holds for jobs assigned before assignments were recorded.
     */
    async heldBefore(jobId: string, agentId: string): Promise<boolean> {
      const row = await db
        .selectFrom('job_assignments')
        .select('id')
        .where('job_id', '=', jobId)
        .where((eb) => eb.or([eb('agent_id', '=', agentId), eb('previous_agent_id', '=', agentId)]))
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}
