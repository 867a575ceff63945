import { dataBearingTypes } from '../../shared/supervise/disposition';
import { demoAgent, expect, logArrival, named, signIn, test } from './app-under-test';

interface ApiJob {
  id: string;
  status: string;
  customer: { name: string };
  items: { id: string; serial: string }[];
}

test('after a reload the inventory shows what was saved, and a new arrival starts empty with no outcome chosen', async ({ server, openApp }) => {
  const agent1 = await demoAgent(server, 'agent1');
  const mine = await server.api<{ jobs: ApiJob[] }>('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent1.id}&limit=100`);
  const job = mine.jobs.find((candidate) => candidate.status === 'assigned' && candidate.items.length >= 2);
  if (!job) throw new Error('agent1 has no open job with two items');
  const [graded, missing] = job.items;
  if (!graded || !missing) throw new Error('two items');

  const laptop = await openApp('forms-laptop');
  await signIn(laptop, 'agent1');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
  await laptop.getByRole('button', { name: named(job.customer.name) }).click();

  const outcome = laptop.getByLabel('Outcome');
  await expect(outcome).toHaveValue('');
  await laptop.getByLabel('Who was contacted').fill('The customer');
  await laptop.getByRole('button', { name: 'Log arrival' }).click();
  await expect(laptop.getByRole('alert')).toContainText('Choose the outcome of this visit');
  await expect(laptop.getByRole('list', { name: 'Visits' }).getByRole('listitem')).toHaveCount(0);
  await laptop.getByRole('form', { name: 'Log arrival' }).screenshot({ path: test.info().outputPath('arrival-asks-for-the-outcome.png') });

  await logArrival(laptop, 'partial');
  // The next visit is a new record: nothing of the last one is carried into it.
  await expect(outcome).toHaveValue('');
  await expect(laptop.getByLabel('Who was contacted')).toHaveValue('');

  await laptop.getByLabel(`Serial seen on ${graded.serial}`).fill(graded.serial);
  await laptop.getByLabel(`Grade of ${graded.serial}`).selectOption('C');
  await laptop.getByLabel(`Accessories checked for ${graded.serial}`).check();
  await laptop.getByRole('button', { name: `Record ${graded.serial}` }).click();
  await expect(laptop.getByTestId(`item-state-${graded.serial}`)).toContainText('serial typed');
  await laptop.getByLabel(`Status of ${missing.serial}`).selectOption('missing');
  await laptop.getByRole('button', { name: `Record ${missing.serial}` }).click();
  await expect(laptop.getByTestId(`item-state-${missing.serial}`)).toContainText('Missing');

  await laptop.reload();
  await laptop.getByRole('button', { name: named(job.customer.name) }).click();
  await expect(laptop.getByTestId(`item-state-${missing.serial}`)).toContainText('Missing');
  await expect(laptop.getByLabel(`Status of ${missing.serial}`)).toHaveValue('missing');
  await expect(laptop.getByLabel(`Grade of ${graded.serial}`)).toHaveValue('C');
  await expect(laptop.getByLabel(`Serial seen on ${graded.serial}`)).toHaveValue(graded.serial);
  await expect(laptop.getByLabel(`Accessories checked for ${graded.serial}`)).toBeChecked();
  await expect(laptop.getByLabel('Outcome')).toHaveValue('');
  await laptop.getByRole('region', { name: 'Equipment' }).screenshot({ path: test.info().outputPath('inventory-after-reload.png') });
});

test('the disposition form presets nothing: sent untouched, it asks what became of the item and records nothing', async ({ server, openApp }) => {
  const demo = await server.api<{ hits: { serial: string; itemType: string | null; lastEventKind: string }[] }>('supervisor1', '/api/v1/custody/search?limit=200');
  const laptopLike = demo.hits.find((hit) => hit.lastEventKind !== 'disposed' && hit.itemType !== null && (dataBearingTypes as readonly string[]).includes(hit.itemType));
  if (!laptopLike) throw new Error('the demo has a recovered data-bearing device');

  const page = await openApp('forms-supervisor');
  await signIn(page, 'supervisor1');
  await page.getByRole('button', { name: 'Supervise' }).click();
  await page.getByLabel('Search custody records').fill(laptopLike.serial);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByTestId('timeline-serial')).toHaveText(laptopLike.serial);

  await page.getByRole('button', { name: 'Record final disposition…' }).click();
  const form = page.getByRole('form', { name: 'Final disposition' });
  const disposition = form.getByRole('combobox', { name: 'Disposition', exact: true });
  await expect(disposition).toHaveValue('');
  await form.getByLabel('Received by').fill('Metro Recycling');
  await form.getByRole('button', { name: 'Record final disposition' }).click();
  await expect(form.getByRole('alert')).toContainText('Disposition: choose one of the options.');
  await expect(disposition).toHaveAttribute('aria-invalid', 'true');

  await disposition.selectOption('destroyed');
  await expect(form.getByLabel('Method (clear, purge or destroy)')).toHaveValue('');
  await expect(form.getByLabel('Verification method')).toHaveValue('');
  await form.getByRole('button', { name: 'Record final disposition' }).click();
  await expect(form.getByRole('alert')).toContainText('Method (clear, purge or destroy): choose one of the options.');
  await expect(form.getByRole('alert')).toContainText('Nothing was recorded');
});
