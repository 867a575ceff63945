import type { Locator, Page } from '@playwright/test';
import { demoAgent, expect, named, test, type ServerUnderTest } from './app-under-test';
import { expectNoSeriousAxeViolations } from './axe';

interface ApiJob {
  id: string;
  status: string;
  customer: { name: string };
  items: { id: string; serial: string }[];
}

async function assignedJobOfAgent1(server: ServerUnderTest): Promise<ApiJob & { serial: string }> {
  const agent1 = await demoAgent(server, 'agent1');
  const mine = await server.api<{ jobs: ApiJob[] }>('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent1.id}&limit=100`);
  const job = mine.jobs.find((candidate) => candidate.status === 'assigned' && candidate.items.length > 0);
  const serial = job?.items[0]?.serial;
  if (!job || !serial) throw new Error('agent1 has no open job with equipment');
  return { ...job, serial };
}

/**
 * Where the keyboard's focus is and whether a sighted keyboard user can see it: a focus ring
 * (on the element, or on the control that wraps a hidden file input) and the element on screen,
 * with the window itself never scrolled away from the app.
 */
async function focusState(page: Page): Promise<{ onBody: boolean; ring: boolean; onScreen: boolean; windowScrollY: number }> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return { onBody: true, ring: false, onScreen: false, windowScrollY: window.scrollY };
    const ringed = element.matches('input[type=file]') ? element.parentElement : element;
    const style = ringed ? getComputedStyle(ringed) : null;
    const ring = style !== null && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const box = (ringed ?? element).getBoundingClientRect();
    const onScreen = box.bottom > 0 && box.top < window.innerHeight && box.right > 0 && box.left < window.innerWidth;
    return { onBody: false, ring, onScreen, windowScrollY: window.scrollY };
  });
}

async function expectVisibleFocus(page: Page, where: string): Promise<void> {
  expect(await focusState(page), `the focus after ${where}`).toEqual({ onBody: false, ring: true, onScreen: true, windowScrollY: 0 });
}

/** Presses Tab (or Shift+Tab) until the target has the focus, as a person would; fails if it never comes. */
async function tabTo(page: Page, target: Locator, { backwards = false, limit = 80 } = {}): Promise<void> {
  for (let presses = 0; presses < limit; presses += 1) {
    if (await target.evaluate((element) => element === document.activeElement).catch(() => false)) {
      await expectVisibleFocus(page, `tabbing to ${String(target)}`);
      return;
    }
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${String(target)} was not reached with ${limit} presses of Tab`);
}

/** Signs with a typed name and the statement accepted: the pad's keyboard alternative. */
async function signByTypedName(page: Page, role: string, name: string): Promise<void> {
  const pad = page.getByRole('group', { name: `${role} signature` });
  await tabTo(page, pad.getByLabel(`${role}'s printed name`));
  await page.keyboard.type(name);
  const typed = pad.getByLabel('Type name instead of drawing');
  await tabTo(page, typed);
  await expect(typed).not.toBeChecked();
  await page.keyboard.press('Space');
  await expect(typed).toBeChecked();
  await page.keyboard.press('Tab');
  await expect(pad.getByLabel(`I, ${name}, accept the statement above`, { exact: false })).toBeFocused();
  await page.keyboard.press('Space');
  await tabTo(page, pad.getByRole('button', { name: `Save ${role.toLowerCase()} signature` }));
  await page.keyboard.press('Enter');
}

/** A real PNG, drawn by the browser, as a camera roll would give it. */
async function platePhoto(page: Page): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(640, 480);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    context.fillStyle = '#3a7';
    context.fillRect(0, 0, 640, 480);
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  });
  return { name: 'plate.png', mimeType: 'image/png', buffer: Buffer.from(base64, 'base64') };
}

test('an agent works a door with the keyboard alone: arrival, equipment, photos, signatures, collection and hand-over, the focus always visible where the next step is', async ({ server, openApp }) => {
  test.setTimeout(300_000);
  const job = await assignedJobOfAgent1(server);
  const laptop = await openApp('keyboard-laptop');
  await laptop.setViewportSize({ width: 1280, height: 800 });
  const photo = await platePhoto(laptop);

  await tabTo(laptop, laptop.getByLabel('User name'));
  await laptop.keyboard.type('agent1');
  await laptop.keyboard.press('Tab');
  await laptop.keyboard.type('demo1234');
  await laptop.keyboard.press('Enter');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');

  // Opening a job puts the focus on its name, at the top of the detail.
  await tabTo(laptop, laptop.getByRole('button', { name: named(job.customer.name) }));
  await laptop.keyboard.press('Enter');
  await expect(laptop.getByRole('heading', { name: job.customer.name, level: 2 })).toBeFocused();
  await expectVisibleFocus(laptop, 'opening the job');

  // Arrival. Outside 08:00–21:00 in the customer's zone the app asks why first, and the focus goes to that question.
  await tabTo(laptop, laptop.getByLabel('Who was contacted'));
  await laptop.keyboard.type('The customer');
  await tabTo(laptop, laptop.getByLabel('Outcome'));
  await laptop.keyboard.type('Recovered');
  await expect(laptop.getByLabel('Outcome')).toHaveValue('recovered');
  await tabTo(laptop, laptop.getByRole('button', { name: 'Log arrival' }));
  await laptop.keyboard.press('Enter');
  const why = laptop.getByLabel('Reason for contacting now');
  const equipment = laptop.getByRole('heading', { name: 'Equipment' });
  await expect(why.or(equipment)).toBeVisible();
  if (await why.isVisible()) {
    await expect(why).toBeFocused();
    await laptop.keyboard.type('The customer asked for an evening visit.');
    await laptop.keyboard.press('Enter');
  }
  // The next step is the equipment: the focus lands on its heading.
  await expect(equipment).toBeFocused();
  await expectVisibleFocus(laptop, 'logging the arrival');

  await tabTo(laptop, laptop.getByLabel(`Status of ${job.serial}`));
  await laptop.keyboard.type('Recovered');
  await tabTo(laptop, laptop.getByLabel(`Serial seen on ${job.serial}`));
  await laptop.keyboard.type(job.serial);
  await tabTo(laptop, laptop.getByRole('button', { name: `Record ${job.serial}` }));
  await laptop.keyboard.press('Enter');
  await expect(laptop.getByTestId(`item-state-${job.serial}`)).toContainText('Recovered · serial typed');
  await expectVisibleFocus(laptop, 'recording the item');

  // The hidden file input is reached with Tab, shows its ring on the button it sits in, and the
  // window does not scroll away; Space opens the file chooser.
  await tabTo(laptop, laptop.getByLabel('Add photos'));
  const [chooser] = await Promise.all([laptop.waitForEvent('filechooser'), laptop.keyboard.press('Space')]);
  await chooser.setFiles([photo]);
  await expect(laptop.getByRole('list', { name: 'Photos of this job' }).getByRole('img', { name: 'Photo 1' })).toBeVisible();
  await expectVisibleFocus(laptop, 'adding a photo');

  await signByTypedName(laptop, 'Customer', 'Dana Customer');
  await expect(laptop.getByTestId('customer-signed')).toHaveText('Signed by Dana Customer with a typed name, the statement accepted.');
  await expectVisibleFocus(laptop, "saving the customer's signature");
  await signByTypedName(laptop, 'Agent', 'Alex Agent');
  await expect(laptop.getByTestId('countersigned')).toBeVisible();
  await expectVisibleFocus(laptop, "saving the agent's signature");

  // Whatever else this client asks for is gone past with a reason, typed in.
  const reason = laptop.getByLabel('Reason for going ahead without it');
  if (await reason.isVisible()) {
    await tabTo(laptop, reason);
    await laptop.keyboard.type('Not the point of this test.');
  }
  await tabTo(laptop, laptop.getByRole('button', { name: /^Record collection/ }));
  await laptop.keyboard.press('Enter');
  await expect(laptop.getByRole('list', { name: 'Custody events' })).toContainText('Collected from the customer');
  // The next step is the hand-over: the focus lands on the clerk's name.
  await expect(laptop.getByLabel("Warehouse clerk's printed name")).toBeFocused();
  await expectVisibleFocus(laptop, 'recording the collection');
  await expectNoSeriousAxeViolations(laptop, 'door: hand-over to the warehouse');

  await signByTypedName(laptop, 'Warehouse clerk', 'Wes Clerk');
  await tabTo(laptop, laptop.getByRole('button', { name: 'Record hand-over to warehouse' }));
  await laptop.keyboard.press('Enter');
  await expect(laptop.getByRole('list', { name: 'Custody events' })).toContainText('Received at the warehouse');
  await expect(laptop.getByText('The items are at the warehouse.')).toBeFocused();
  await expectVisibleFocus(laptop, 'recording the hand-over');
  await expectNoSeriousAxeViolations(laptop, 'door: custody after the hand-over');
  await laptop.screenshot({ path: test.info().outputPath('door-by-keyboard.png') });
});
