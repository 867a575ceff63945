import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './app-under-test';

/**
 * Runs axe-core over the whole page as it stands and fails on any serious or critical rule,
 * naming the screen, the rule and the elements, so a failure says where to look. The check is
 * soft, so one run lists every screen's findings. Moderate and minor findings are attached to the
 * report without failing the test (AXE_VERBOSE=1 prints them too).
 */
export async function expectNoSeriousAxeViolations(page: Page, screen: string): Promise<void> {
  // Animations (the lock screen's fade, a map's framing) would let axe read half-drawn colours.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  const minor = results.violations.filter((violation) => !blocking.includes(violation));
  const describe = (violations: typeof results.violations) =>
    violations.map((violation) => `${violation.impact} ${violation.id} (${violation.help}): ${violation.nodes.slice(0, 5).map((node) => node.target.join(' ')).join(' | ')}`);
  if (minor.length > 0) {
    await test.info().attach(`axe-minor-${screen}`, { body: describe(minor).join('\n'), contentType: 'text/plain' });
    if (process.env.AXE_VERBOSE) console.log(`axe on "${screen}":\n  ${describe(minor).join('\n  ')}`);
  }
  expect.soft(describe(blocking), `serious or critical axe rules on "${screen}"`).toEqual([]);
}
