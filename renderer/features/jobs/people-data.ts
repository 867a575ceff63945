import { useLiveQuery } from 'dexie-react-hooks';
import { PeopleOnJobs, type PersonName } from '../../../shared/api/people';
import { localDb } from '../../app/local-database';
import { readMeta, writeMeta, type StoredSession } from '../../db/meta';
import { getBridge } from '../../platform/bridge';

/**
 * The names and roles of the people a job's history mentions, asked of the server when online
 * and kept on the laptop (with the user's data, so sign-out removes them) for the hours without
 * signal. An agent receives only the people on their own jobs' records.
 */
export async function refreshPeople(session: StoredSession): Promise<void> {
  const token = await getBridge().getSecret('session');
  if (!token) return;
  let response: Response;
  try {
    response = await fetch(`${session.serverUrl}/api/v1/people`, {
      headers: { accept: 'application/json', authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(15_000),
    });
  } catch {
    // Offline is the normal state of a laptop in a van: the names kept from the last answer stay.
    return;
  }
  if (!response.ok) return;
  const parsed = PeopleOnJobs.safeParse(await response.json().catch(() => null));
  if (parsed.success) await writeMeta(localDb, 'people', parsed.data);
}

/** The people known on this laptop, by user id; empty until the first answer. */
export function usePeople(): ReadonlyMap<string, PersonName> {
  const stored = useLiveQuery(() => readMeta(localDb, 'people'), []);
  return new Map((stored?.people ?? []).map((person) => [person.id, person] as const));
}
