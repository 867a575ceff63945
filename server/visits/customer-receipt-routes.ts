import { z } from 'zod';
import { JobReceipts } from '../../shared/api/receipts';
import type { ServerContext } from '../context';
import type { ApiRouter } from '../http/api-router';
import { doorRecordsRepository } from './door-records-repository';

const JobParams = z.object({ id: z.uuid() });

/**
 * The receipts agents left at a job's door. The PDF itself is a blob (GET /api/v1/blobs/{sha256}),
 * readable by the office and the job's agent because this record names it on the job.
 */
export function registerCustomerReceiptRoutes(api: ApiRouter, context: ServerContext): void {
  api.route({
    method: 'GET',
    url: '/api/v1/jobs/:id/receipts',
    summary: "Receipts left with the customer at a job's door: number, when, by whom, and the PDF's SHA-256",
    tag: 'jobs',
    action: 'jobs.read',
    params: JobParams,
    response: { status: 200, description: "The job's customer receipts, oldest first", schema: JobReceipts },
    handler: async ({ params, grant }) => {
      const { db } = context.store;
      const job = await grant.requireJobInScope(params.id);
      const receipts = (await doorRecordsRepository(db).receipts.ofJob(job.id)).sort((a, b) => (a.madeAt < b.madeAt ? -1 : a.madeAt > b.madeAt ? 1 : 0));
      const userIds = [...new Set(receipts.map((receipt) => receipt.byUserId))];
      const users = userIds.length === 0 ? [] : await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', userIds).execute();
      const names = new Map(users.map((user) => [user.id, user.display_name]));
      return { jobId: job.id, receipts: receipts.map((receipt) => ({ receipt, madeBy: names.get(receipt.byUserId) ?? 'a user no longer on record' })) };
    },
  });
}
