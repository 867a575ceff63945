import { z } from 'zod';
import { Role } from '../domain/roles';

/**
 * A person as a job's history names them: display name and role, nothing else (no user name,
 * no contact details). An agent receives only the people on their own jobs' records.
 */
export const PersonName = z.object({
  id: z.uuid(),
  displayName: z.string().min(1).max(128),
  role: Role,
});
export type PersonName = z.infer<typeof PersonName>;

export const PeopleOnJobs = z.object({ people: z.array(PersonName).max(10_000) });
export type PeopleOnJobs = z.infer<typeof PeopleOnJobs>;
