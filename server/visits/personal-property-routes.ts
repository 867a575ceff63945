import { z } from 'zod';
import { PersonalPropertyEntry, PersonalPropertyEvent, PersonalPropertyStatus, propertyState } from '../../shared/domain/personal-property';
import type { ServerContext } from '../context';
import type { ApiRouter } from '../http/api-router';
import { problems } from '../http/problem';
import { jobsRepository } from '../store/jobs-repository';
import { personalPropertyRepository } from './personal-property-repository';

const JobParams = z.object({ id: z.uuid() });

/** One entry with its whole trail and the state the shared fold gives it. */
export const PersonalPropertyRecord = z.object({
  entry: PersonalPropertyEntry,
  events: z.array(PersonalPropertyEvent),
  status: PersonalPropertyStatus,
  location: z.string().nullable(),
  /** Events that disagree with the trail (recorded on two devices at once), kept for review. */
  conflictingEventIds: z.array(z.uuid()),
});

export const JobPersonalProperty = z.object({ jobId: z.uuid(), property: z.array(PersonalPropertyRecord) });

export function registerPersonalPropertyRoutes(api: ApiRouter, context: ServerContext): void {
  api.route({
    method: 'GET',
    url: '/api/v1/jobs/:id/personal-property',
    summary: 'Personal property found on a job: what, where, photos, and whether it was stored, returned or disposed of',
    tag: 'jobs',
    action: 'jobs.read',
    params: JobParams,
    response: { status: 200, description: "The job's personal property with each entry's trail", schema: JobPersonalProperty },
    handler: async ({ params, grant }) => {
      const { db } = context.store;
      const job = await grant.requireJobInScope(params.id);
      const repository = personalPropertyRepository(db);
      const [entries, events] = await Promise.all([repository.entriesOfJob(job.id), repository.eventsOfJob(job.id)]);
      const property = entries.map((entry) => {
        const own = events.filter((event) => event.propertyId === entry.id);
        const state = propertyState(own);
        return { entry, events: [...state.trail, ...state.conflicts], status: state.status, location: state.location, conflictingEventIds: state.conflicts.map((event) => event.id) };
      });
      return { jobId: job.id, property };
    },
  });
}
