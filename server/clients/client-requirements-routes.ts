import { z } from 'zod';
import { ClientRequirementsAnswer } from '../../shared/api/client-requirements';
import { ClientRequirements, defaultClientRequirements } from '../../shared/domain/client-requirements';
import { nowIso, type ServerContext } from '../context';
import type { ApiRouter } from '../http/api-router';
import { problems } from '../http/problem';
import { clientRequirementsRepository } from './client-requirements-repository';
import { writeTransaction } from '../store/change-log';

const ClientParams = z.object({ id: z.uuid() });

/** Per-client evidence requirements: dispatchers set them (a job write); agents receive them with their jobs. */
export function registerClientRequirementsRoutes(api: ApiRouter, context: ServerContext): void {
  api.route({
    method: 'GET',
    url: '/api/v1/clients/:id/requirements',
    summary: "The evidence a client's jobs need before they can be closed (the default when the client set none)",
    tag: 'clients',
    action: 'clients.read',
    params: ClientParams,
    response: { status: 200, description: "The client's requirements", schema: ClientRequirementsAnswer },
    handler: async ({ params }) => {
      const repository = clientRequirementsRepository(context.store.db);
      if (!(await repository.clientExists(params.id))) throw problems.notFound('No such client.');
      const stored = await repository.find(params.id);
      return stored
        ? { clientId: params.id, requirements: stored.requirements, isDefault: false, updatedAt: stored.updatedAt }
        : { clientId: params.id, requirements: defaultClientRequirements, isDefault: true, updatedAt: null };
    },
  });

  api.route({
    method: 'PUT',
    url: '/api/v1/clients/:id/requirements',
    summary: "Set the evidence a client's jobs need; agents get the new checklist at their next sync",
    tag: 'clients',
    action: 'jobs.write',
    params: ClientParams,
    body: ClientRequirements,
    response: { status: 200, description: 'The requirements as saved', schema: ClientRequirementsAnswer },
    handler: async ({ params, body, principal }) => {
      const at = nowIso(context);
      await writeTransaction(context.store.db, async (trx) => {
        const repository = clientRequirementsRepository(trx);
        if (!(await repository.clientExists(params.id))) throw problems.notFound('No such client.');
        await repository.save(params.id, body, principal.userId, at);
      });
      return { clientId: params.id, requirements: body, isDefault: false, updatedAt: at };
    },
  });
}
