import { z } from 'zod';
import { ClientContact } from '../domain/client-contact';
import { ClientRequirements } from '../domain/client-requirements';
import { IsoDateTime } from '../domain/job';

/** GET and PUT /api/v1/clients/{id}/requirements answer with this. */
export const ClientRequirementsAnswer = z.object({
  clientId: z.uuid(),
  requirements: ClientRequirements,
  /** True when the client set nothing and the default applies. */
  isDefault: z.boolean(),
  updatedAt: IsoDateTime.nullable(),
});
export type ClientRequirementsAnswer = z.infer<typeof ClientRequirementsAnswer>;

/** GET and PUT /api/v1/clients/{id}/contact answer with this. */
export const ClientContactAnswer = z.object({
  clientId: z.uuid(),
  contact: ClientContact,
  updatedAt: IsoDateTime.nullable(),
});
export type ClientContactAnswer = z.infer<typeof ClientContactAnswer>;
