import { z } from 'zod';
import { IsoDateTime } from '../domain/job';

export const Health = z.object({
  status: z.literal('ok'),
  version: z.string(),
  protocolVersion: z.number().int(),
  store: z.enum(['sqlite', 'postgres']),
  serverTime: IsoDateTime,
});
export type Health = z.infer<typeof Health>;
