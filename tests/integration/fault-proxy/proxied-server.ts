import { JobDetail } from '../../../shared/api/jobs';
import { startTestServer, type TestServer } from '../helpers/server';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { fieldLaptop, seededRandom, type FieldLaptop, type FieldLaptopOptions } from './field-laptop';

/** The in-process test server with a fault proxy in front of it, and laptops that sync through it. */
export interface ProxiedServer {
  readonly server: TestServer;
  readonly proxy: FaultProxy;
  laptop(username: string, options?: Partial<FieldLaptopOptions>): Promise<FieldLaptop>;
  /** A job with its history as the server holds it (asked as the dispatcher, past the proxy). */
  detail(jobId: string): Promise<JobDetail>;
  close(): Promise<void>;
}

export async function startProxiedServer(seed = 1): Promise<ProxiedServer> {
  const server = await startTestServer();
  const proxy = await startFaultProxy({ target: () => server.url, random: seededRandom(seed) });
  let count = 0;
  return {
    server,
    proxy,
    laptop(username, options = {}) {
      count += 1;
      return fieldLaptop({ name: `${username}-${count}`, username, serverUrl: server.url, syncUrl: proxy.url, ...options });
    },
    async detail(jobId) {
      const { token } = await server.login('dispatcher1');
      const answer = await server.api(`/api/v1/jobs/${jobId}`, { token });
      if (answer.status !== 200) throw new Error(`job ${jobId}: ${answer.status}`);
      return JobDetail.parse(answer.body);
    },
    async close() {
      await proxy.close();
      await server.close();
    },
  };
}

/** The first job of this laptop in the given status. */
export async function firstJob(laptop: FieldLaptop, status: 'assigned' | 'all' = 'assigned') {
  const [job] = await laptop.jobs.listJobs({ status });
  if (!job) throw new Error(`${laptop.name} holds no ${status} job`);
  return job;
}
