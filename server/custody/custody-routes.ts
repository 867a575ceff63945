import { z } from 'zod';
import { CustodyEvent, DeviceKey } from '../../shared/custody/custody-event';
import { IsoDateTime } from '../../shared/domain/job';
import { MutationResult } from '../../shared/sync/protocol';
import { verifyChain } from '../../shared/custody/verify-chain';
import type { ServerContext } from '../context';
import type { ApiRouter } from '../http/api-router';
import { problems } from '../http/problem';
import { jobsRepository } from '../store/jobs-repository';
import { doorServices } from '../visits/door-services';
import { custodyRepository } from './custody-repository';
import { custodyRejectionsOfJob } from './custody-rejections';

const JobParams = z.object({ id: z.uuid() });

const Verdict = z.union([
  z.object({ intact: z.literal(true), events: z.number().int() }),
  z.object({ intact: z.literal(false), index: z.number().int(), eventId: z.string().nullable(), problem: z.string(), reason: z.string() }),
]);

/** Everything needed to verify a job's custody record offline: the events, the keys, and the server's own verdict. */
export const CustodyRecord = z.object({
  jobId: z.uuid(),
  events: z.array(CustodyEvent),
  deviceKeys: z.array(DeviceKey),
  verdict: Verdict,
});

/** A custody event the server refused from the chain, kept aside with the rule that refused it. */
export const CustodyRejection = z.object({
  event: CustodyEvent,
  pushedByUserId: z.uuid(),
  deviceId: z.string().nullable(),
  code: MutationResult.shape.code.unwrap(),
  reason: z.string(),
  at: IsoDateTime,
});

export const CustodyRejectionList = z.object({ rejections: z.array(CustodyRejection) });

export function registerCustodyRoutes(api: ApiRouter, context: ServerContext): void {
  const { subtle } = doorServices(context);

  api.route({
    method: 'GET',
    url: '/api/v1/jobs/:id/custody',
    summary: "A job's chain of custody with the device keys that signed it, verified by the server",
    tag: 'custody',
    action: 'jobs.read',
    params: JobParams,
    response: { status: 200, description: 'The record and whether it is intact', schema: CustodyRecord },
    handler: async ({ params, grant }) => {
      const { db } = context.store;
      await grant.requireJobInScope(params.id);
      const custody = custodyRepository(db);
      const events = await custody.eventsOfJob(params.id);
      const deviceKeys = await custody.deviceKeys([...new Set(events.map((event) => event.deviceKeyId))]);
      const keyById = new Map(deviceKeys.map((key) => [key.id, key.publicKey]));
      const verdict = await verifyChain(subtle, events, (id) => keyById.get(id) ?? null);
      return { jobId: params.id, events, deviceKeys, verdict };
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/jobs/:id/custody/rejections',
    summary: "Custody events the server refused from a job's chain, kept aside with who sent them and why",
    tag: 'custody',
    action: 'jobs.search',
    params: JobParams,
    response: { status: 200, description: 'The refused events, oldest first', schema: CustodyRejectionList },
    handler: async ({ params }) => ({ rejections: await custodyRejectionsOfJob(context.store.db, params.id) }),
  });
}
