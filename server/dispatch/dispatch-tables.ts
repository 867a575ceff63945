/** The dispatch tables (migration 0003), as Kysely sees them. */

/** Every dispatcher write: who, when, what, on which job. Append-only. */
export interface DispatchAuditTable {
  id: string;
  at: string;
  user_id: string;
  action: string;
  job_id: string | null;
  detail_json: string;
}

/**
 * One row per assignment act: the job moved from `previous_agent_id` to `agent_id` (either may
 * be NULL). Sync uses it to recognise an agent's late work on a job that was taken from them.
 */
export interface JobAssignmentsTable {
  id: string;
  job_id: string;
  agent_id: string | null;
  previous_agent_id: string | null;
  at: string;
  by_user_id: string;
}

/** One row per user (migration 0005): the last time that user's laptop pulled changes. */
export interface UserLastSyncTable {
  user_id: string;
  last_sync_at: string;
}
