import { z } from 'zod';
import { CustomerReceipt } from '../domain/customer-receipt';

/** GET /api/v1/jobs/{id}/receipts: the receipts left with the customer, oldest first, with who made each. */
export const JobReceipts = z.object({
  jobId: z.uuid(),
  receipts: z.array(z.object({ receipt: CustomerReceipt, madeBy: z.string() })),
});
export type JobReceipts = z.infer<typeof JobReceipts>;
