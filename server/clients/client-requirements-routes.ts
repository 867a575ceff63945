import { z } from 'zod';
import { ClientContactAnswer, ClientRequirementsAnswer } from '../../shared/api/client-requirements';
import { ClientContact, emptyClientContact, normalizedContact } from '../../shared/domain/client-contact';
import { ClientRequirements, defaultClientRequirements } from '../../shared/domain/client-requirements';
import { nowIso, type ServerContext } from '../context';
import type { ApiRouter } from '../http/api-router';
import { problems } from '../http/problem';
import { clientContactRepository } from './client-contact-repository';
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

  api.route({
    method: 'GET',
    url: '/api/v1/clients/:id/contact',
    summary: "How customers reach a client about their account, as printed on door receipts (empty when the client set none)",
    tag: 'clients',
    action: 'clients.read',
    params: ClientParams,
    response: { status: 200, description: "The client's contact line", schema: ClientContactAnswer },
    handler: async ({ params }) => {
      if (!(await clientRequirementsRepository(context.store.db).clientExists(params.id))) throw problems.notFound('No such client.');
      const stored = await clientContactRepository(context.store.db).find(params.id);
      return { clientId: params.id, contact: stored?.contact ?? emptyClientContact, updatedAt: stored?.updatedAt ?? null };
    },
  });

  api.route({
    method: 'PUT',
    url: '/api/v1/clients/:id/contact',
    summary: "Set how customers reach a client; agents' laptops print it on receipts after their next sync",
    tag: 'clients',
    action: 'jobs.write',
    params: ClientParams,
    body: ClientContact,
    response: { status: 200, description: 'The contact line as saved', schema: ClientContactAnswer },
    handler: async ({ params, body, principal }) => {
      const at = nowIso(context);
      const contact = normalizedContact(body);
      await writeTransaction(context.store.db, async (trx) => {
        if (!(await clientRequirementsRepository(trx).clientExists(params.id))) throw problems.notFound('No such client.');
        await clientContactRepository(trx).save(params.id, contact, principal.userId, at);
      });
      return { clientId: params.id, contact, updatedAt: at };
    },
  });
}
