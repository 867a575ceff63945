import { demoAgent, expect, named, signIn, test } from './app-under-test';

interface ApiJob {
  customer: { name: string; phones: string[] };
  address: { line1: string; city: string };
}

/** The forms a text can take in serialized HTML: as typed, and with & < > " escaped. */
function inHtml(text: string): string[] {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return escaped === text ? [text] : [text, escaped];
}

test('while the app is locked, no customer name, address or phone is in the page; unlocked, the work is back', async ({ server, openApp }) => {
  const agent = await demoAgent(server, 'agent1');
  const { jobs } = await server.api<{ jobs: ApiJob[] }>('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent.id}&limit=200`);
  const open = jobs[0];
  if (!open) throw new Error('agent1 has no job');
  const customerData = jobs.flatMap((job) => [job.customer.name, job.address.line1, ...job.customer.phones]);

  const laptop = await openApp('agent-laptop');
  await signIn(laptop, 'agent1');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
  await laptop.getByRole('button', { name: named(open.customer.name) }).click();
  const detail = laptop.getByRole('region', { name: 'Job detail' });
  await expect(detail.getByText(open.address.line1).first()).toBeVisible();
  // The check below would prove nothing if the page never held the data in the first place.
  expect(await laptop.content()).toContain(inHtml(open.address.line1).at(-1));

  await laptop.getByRole('button', { name: 'Lock', exact: true }).click();
  const lock = laptop.getByRole('dialog', { name: 'Reclaim is locked' });
  await expect(lock).toBeVisible();
  const assertHidden = async () => {
    const page = await laptop.content();
    const found = customerData.filter((text) => inHtml(text).some((form) => page.includes(form)));
    expect(found, 'customer data in the locked page').toEqual([]);
  };
  await assertHidden();
  const unlock = async () => {
    await lock.getByLabel('Password').fill('demo1234');
    await lock.getByRole('button', { name: 'Unlock' }).click();
    await expect(lock).toBeHidden();
  };
  await unlock();
  // The job that was open before the lock is open again.
  await expect(detail.getByText(open.address.line1).first()).toBeVisible();

  // Locked again, a reload does not lift the lock, and nothing of the customer comes back with the page.
  await laptop.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(lock).toBeVisible();
  await laptop.reload();
  await expect(lock).toBeVisible();
  await assertHidden();
  await unlock();
  await expect(laptop.getByRole('button', { name: named(open.customer.name) })).toBeVisible();
});
