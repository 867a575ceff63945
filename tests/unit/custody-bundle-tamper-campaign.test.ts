import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBundleFile } from '../../renderer/features/supervise/bundle-verifier';
import { readBundleZipBytes } from '../../scripts/bundle-zip-reader';
import type { BundleVerdict } from '../../shared/trust/bundle-verdict';
import { verifyCustodyBundle } from '../../shared/trust/verify-bundle';
import { tamperClasses, seeded } from '../fixtures/bundle-tampers';
import { genuineBundle, makeOrganisation, type BundleShape, type GenuineBundle, type TestOrganisation } from '../fixtures/custody-bundle';
import { subtle } from '../fixtures/custody-chain';

/**
 * Issue 13's "done when": generated tampers of genuine bundles, over every class the issue
 * lists (event edits, unknown fields, duplicate keys, second spellings of text, numbers and
 * base64, removed, reordered, duplicated and truncated events, manifest, README and signature
 * edits, added files, duplicate, traversing and linking zip entries, zip bombs, device-key and
 * organisation-key substitution, certificate, checkpoint and proof edits, cross-bundle swaps),
 * each as an outsider would (no key) and, where it means something, as an insider holding the
 * organisation key but no device key. Every one is detected, through both zip readers, and
 * never called intact; every genuine bundle is.
 */
interface Pair {
  readonly org: TestOrganisation;
  readonly bundle: GenuineBundle;
  readonly sibling: GenuineBundle;
}

const pairs: Pair[] = [];
const shapes: BundleShape[] = [
  { jobs: 2, itemsPerJob: 2, laterEventsPerJob: 2, devices: 2, photosPerJob: 1, otherLeaves: 3 },
  { jobs: 3, itemsPerJob: 3, laterEventsPerJob: 4, devices: 2, photosPerJob: 2, otherLeaves: 7 },
  { jobs: 1, itemsPerJob: 1, laterEventsPerJob: 3, devices: 1, photosPerJob: 1, otherLeaves: 0 },
  { jobs: 2, itemsPerJob: 2, laterEventsPerJob: 3, devices: 3, photosPerJob: 1, otherLeaves: 5, missingPhoto: true },
];

beforeAll(async () => {
  for (const [index, shape] of shapes.entries()) {
    const org = await makeOrganisation({ rotated: index % 2 === 1 });
    pairs.push({ org, bundle: await genuineBundle(org, shape), sibling: await genuineBundle(org, shapes[(index + 1) % shapes.length] ?? shape) });
  }
});

/** Both doors: the command line's yauzl reader and the app's fflate reader, then the one verifier. */
async function verifyBoth(zip: Uint8Array, fingerprint: string): Promise<BundleVerdict> {
  const cli = await verifyCustodyBundle(subtle, await readBundleZipBytes(zip), { fingerprint });
  const app = await verifyCustodyBundle(subtle, await readBundleFile(new Blob([new Uint8Array(zip)])), { fingerprint });
  expect(app.status).toBe(cli.status);
  expect(app.problem?.code).toBe(cli.problem?.code);
  return cli;
}

const classNames = Object.keys(tamperClasses);

describe('the tamper campaign', () => {
  it('detects every one of 640 generated tampers, as tampered or unreadable, never intact', { timeout: 120_000 }, async () => {
    const tried = new Map<string, number>();
    const caughtBy = new Map<string, Set<string>>();
    let total = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...classNames), fc.nat(pairs.length - 1), fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (name, which, seed) => {
        const pair = pairs[which] as Pair;
        const tamper = tamperClasses[name];
        if (!tamper) throw new Error(name);
        const random = seeded(seed);
        const { zip, what } = await tamper({ bundle: pair.bundle, sibling: pair.sibling, random });
        // A rotated organisation may be pinned by its first key or its current one.
        const fingerprint = (random.chance() ? pair.org.keys[0] : pair.org.current)?.fingerprint ?? '';
        const verdict = await verifyBoth(zip, fingerprint);
        expect(['tampered', 'unreadable'], `${name}: ${what} was called ${verdict.status}`).toContain(verdict.status);
        expect(verdict.problem?.reason.length ?? 0, `${name}: ${what} gives no reason`).toBeGreaterThan(10);
        total += 1;
        tried.set(name, (tried.get(name) ?? 0) + 1);
        caughtBy.set(name, (caughtBy.get(name) ?? new Set()).add(verdict.problem?.code ?? '?'));
      }),
      { seed: 13_2026, numRuns: 640 },
    );
    expect(total).toBeGreaterThanOrEqual(500);
    for (const name of classNames) expect(tried.get(name) ?? 0, `class ${name} was tried`).toBeGreaterThanOrEqual(8);
    console.log(`tamper campaign: ${total} tampers over ${classNames.length} classes, 100% detected\n${classNames.map((name) => `  ${name}: ${tried.get(name)} tried, caught as ${[...(caughtBy.get(name) ?? [])].sort().join(', ')}`).join('\n')}`);
  });

  it('calls every genuine bundle intact against its organisation, by either key of a rotation, and unpinned without a pin', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ jobs: fc.integer({ min: 1, max: 3 }), itemsPerJob: fc.integer({ min: 1, max: 4 }), laterEventsPerJob: fc.integer({ min: 0, max: 5 }), devices: fc.integer({ min: 1, max: 3 }), photosPerJob: fc.integer({ min: 0, max: 2 }), otherLeaves: fc.integer({ min: 0, max: 9 }), missingPhoto: fc.boolean() }),
        fc.boolean(),
        async (shape, rotated) => {
          const org = await makeOrganisation({ rotated });
          const bundle = await genuineBundle(org, shape);
          for (const key of org.keys) expect((await verifyBoth(bundle.zip, key.fingerprint)).status).toBe('intact');
          const unpinned = await verifyCustodyBundle(subtle, await readBundleZipBytes(bundle.zip), null);
          expect(unpinned.status).toBe('unpinned');
          const other = await makeOrganisation();
          expect((await verifyBoth(bundle.zip, other.current.fingerprint)).problem?.code).toBe('foreign_organisation');
        },
      ),
      { seed: 2026, numRuns: 25 },
    );
  });

  it('runs each tamper class against the command line reader and the app reader alike on every pair', { timeout: 60_000 }, async () => {
    for (const name of classNames) {
      for (const [which, pair] of pairs.entries()) {
        const tamper = tamperClasses[name];
        if (!tamper) throw new Error(name);
        const { zip, what } = await tamper({ bundle: pair.bundle, sibling: pair.sibling, random: seeded(which * 7919 + name.length) });
        const verdict = await verifyBoth(zip, pair.org.current.fingerprint);
        expect(['tampered', 'unreadable'], `${name}: ${what}`).toContain(verdict.status);
      }
    }
  });
});
