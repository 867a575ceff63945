import type { Kysely } from 'kysely';
import type { PersonName } from '../../shared/api/people';
import { Role } from '../../shared/domain/roles';
import type { Database } from '../store/schema';

/**
 * The names and roles of the people a caller's job histories mention. The office reads every
 * job, so it gets everyone; an agent gets only the people who wrote on their own jobs' status
 * changes and notes (and themselves): nobody else's name leaves the server for a laptop.
 */
export async function peopleOnJobs(db: Kysely<Database>, caller: { userId: string; ownJobsOnly: boolean }): Promise<PersonName[]> {
  let query = db.selectFrom('users').select(['id', 'display_name', 'role']);
  if (caller.ownJobsOnly) {
    const ownJobs = db.selectFrom('jobs').select('id').where('assigned_agent_id', '=', caller.userId);
    query = query.where((eb) =>
      eb.or([
        eb('id', '=', caller.userId),
        eb('id', 'in', eb.selectFrom('job_status_changes').select('by_user_id').where('job_id', 'in', ownJobs)),
        eb('id', 'in', eb.selectFrom('job_notes').select('by_user_id').where('job_id', 'in', ownJobs)),
      ]),
    );
  }
  const rows = await query.orderBy('display_name').execute();
  return rows.map((row) => ({ id: row.id, displayName: row.display_name, role: Role.parse(row.role) }));
}
