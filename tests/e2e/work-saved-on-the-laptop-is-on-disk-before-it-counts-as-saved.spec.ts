import { demoAgent, expect, named, signIn, test } from './app-under-test';

interface ApiJob {
  status: string;
  customer: { name: string };
}

interface WriteSeen {
  stores: string[];
  durability: string;
}

/**
 * What an agent saves offline (a note, a photo, a signature, a custody event) is the only copy
 * until it syncs, so the app asks IndexedDB to have every write on disk before it reports the
 * commit ("strict" durability). Chromium's default, "relaxed", reports it once handed to the
 * operating system, and a battery that dies seconds later could take it. The page's own
 * IndexedDB is watched: every read-write transaction the app opens, and what the browser says
 * its durability is.
 */
test('every write the app makes, the outbox included, waits for the disk', async ({ server, openApp }) => {
  const agent = await demoAgent(server, 'agent1');
  const { jobs } = await server.api<{ jobs: ApiJob[] }>('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent.id}`);
  const job = jobs.find((candidate) => candidate.status === 'assigned');
  if (!job) throw new Error('agent1 has no job in status assigned');

  const laptop = await openApp('laptop-durable');
  await laptop.addInitScript(() => {
    const seen: WriteSeen[] = [];
    Object.assign(window, { writesSeen: seen });
    const open = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
      const transaction = open.apply(this, args);
      if (transaction.mode === 'readwrite') seen.push({ stores: [...transaction.objectStoreNames], durability: transaction.durability });
      return transaction;
    };
  });
  await laptop.reload();
  await signIn(laptop, 'agent1');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');

  await laptop.getByRole('button', { name: named(job.customer.name) }).click();
  const note = `Side gate, ring twice (${Date.now()})`;
  await laptop.getByLabel('Add a note').fill(note);
  await laptop.getByRole('button', { name: 'Add note' }).click();
  await expect(laptop.getByText(note)).toBeVisible();

  const writes = await laptop.evaluate(() => (window as unknown as { writesSeen: WriteSeen[] }).writesSeen);
  // The sign-in, the first sync's pages and the note's outbox entry all went through here.
  expect(writes.filter((write) => write.stores.includes('jobs')).length).toBeGreaterThan(0);
  expect(writes.filter((write) => write.stores.includes('outbox')).length).toBeGreaterThan(0);
  expect(writes.filter((write) => write.durability !== 'strict')).toEqual([]);
});
