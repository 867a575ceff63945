import { JobDetail } from '../../../shared/api/jobs';
import type { ApiAnswer, TestServer } from './server';

/**
 * The office moves one job as a dispatcher does: it reads the job, confirms taking it from the
 * agent who has it as it stands now, and asks the server to move it (a bulk act of one).
 */
export async function moveJobConfirmed(server: TestServer, token: string, jobId: string, agentId: string | null): Promise<ApiAnswer> {
  const { job } = JobDetail.parse((await server.api(`/api/v1/jobs/${jobId}`, { token })).body);
  return server.api('/api/v1/jobs/assignments', {
    token,
    json: { jobIds: [jobId], agentId, seen: [{ jobId, agentId: job.assignedAgentId, status: job.status, confirmed: true }] },
  });
}
