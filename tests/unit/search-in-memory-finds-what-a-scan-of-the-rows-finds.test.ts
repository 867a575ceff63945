import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../shared/domain/job';
import { idsMatching } from '../../renderer/db/job-list-query';
import { deleteJobWithHistory } from '../../renderer/db/outbox';
import type { LocalJob, ReclaimDatabase } from '../../renderer/db/schema';
import { searchPrefixes, matchesSearchPrefixes } from '../../renderer/db/search-words';
import { SearchWordsIndex } from '../../renderer/db/search-words-index';
import { clearUserData } from '../../renderer/db/session-repository';
import { applyPullPage } from '../../renderer/sync/pull-apply';
import { freshDatabase, jobPage, makeJob, seedJobs, serverTime, signInAs } from './renderer-test-fixtures';

/**
 * The job list searches the jobs' words held in memory (SearchWordsMirror), so a short prefix
 * costs no IndexedDB read, and a first sync writes no words index. It must find exactly the jobs
 * a scan of the rows' words finds (idsMatching), for any typed text, after any write the app makes to the jobs — sync
 * pages, status changes, removals, a sign-out's clear, a write that aborts, writes that commit
 * while the words are being loaded — or an agent would not find a job that is on the laptop.
 */
let db: ReclaimDatabase | undefined;
afterEach(async () => {
  db?.searchWords.stop();
  await db?.delete();
  db = undefined;
});

const names = ['Maria Gonzalez', 'Daniel Okafor', 'Mei Tanaka', 'Olu Okonkwo', 'Ana Gomez', 'Ravi Patel', 'Élodie Okada'];
const streets = ['2150 N Milwaukee Ave', '4400 S Cottage Grove Ave', '12 W Madison St', '88 N Milwaukee Ave', '7 Sheridan Rd'];
const serialStems = ['RC0', 'RC01', 'SN00', 'TCH-88', 'ARS-5521-X'];

interface JobFields {
  customerName: string;
  line1: string;
  stem: string;
  number: number;
  accountRef: string;
}

const jobFields: fc.Arbitrary<JobFields> = fc.record({
  customerName: fc.constantFrom(...names),
  line1: fc.constantFrom(...streets),
  stem: fc.constantFrom(...serialStems),
  number: fc.integer({ min: 0, max: 400 }),
  accountRef: fc.integer({ min: 0, max: 99 }).map((n) => `LC-${n}`),
});

function randomJob(fields: JobFields | undefined, id?: string): Job {
  if (!fields) throw new Error('the test ran out of random jobs');
  const job = makeJob({ customerName: fields.customerName, line1: fields.line1, serial: `${fields.stem}${fields.number}`, accountRef: fields.accountRef });
  return id === undefined ? job : { ...job, id };
}

/** Queries that hit many words, few, none, and two at once: every prefix of the data's own words and some more. */
function queriesFor(jobs: readonly Job[]): string[] {
  const words = new Set<string>();
  for (const job of jobs) for (const word of searchPrefixes(`${job.customer.name} ${job.address.line1} ${job.items.map((item) => item.serial).join(' ')}`)) words.add(word);
  const prefixes = [...words].flatMap((word) => Array.from({ length: word.length }, (_, end) => word.slice(0, end + 1)));
  return [...new Set([...prefixes, '', '  ', 'r', 'rc', 'rc01 oka', 'mil 88', 'ELODIE', 'okafor daniel', 'tch88', 'zz', 'a s', '0'])];
}

function sorted(ids: Set<string> | null | undefined): string[] | null | undefined {
  return ids ? [...ids].sort() : ids;
}

async function expectSameAsTheIndex(database: ReclaimDatabase, queries: readonly string[], when: string): Promise<void> {
  for (const query of queries) {
    const fromIndex = await idsMatching(database, searchPrefixes(query));
    expect(sorted(database.searchWords.idsMatching(query)), `${when}: "${query}"`).toEqual(sorted(fromIndex));
  }
}

describe('the search in memory finds what a scan of the rows finds', () => {
  it('for any typed text, after every kind of write to the jobs', async () => {
    const database = (db = freshDatabase());
    await signInAs(database);
    const pool = fc.sample(jobFields, { numRuns: 120, seed: 15 });
    let jobs = pool.slice(0, 40).map((fields) => randomJob(fields));
    await seedJobs(database, jobs);
    database.searchWords.start();
    await database.searchWords.whenReady();
    const queries = queriesFor(pool.map((fields) => randomJob(fields)));
    await expectSameAsTheIndex(database, queries, 'loaded');

    const steps = fc.sample(fc.constantFrom('add', 'rewrite', 'status', 'delete', 'removal', 'abort', 'compact'), { numRuns: 40, seed: 16 });
    let next = 40;
    for (const [number, step] of steps.entries()) {
      const some = jobs[(number * 7) % Math.max(1, jobs.length)];
      if (step === 'add') {
        const added = pool.slice(next, next + 5).map((fields) => randomJob(fields));
        next = (next + 5) % pool.length;
        await seedJobs(database, added);
        jobs = [...jobs, ...added];
      } else if (step === 'rewrite' && some) {
        // The office changed the customer or the serial: the same job arrives with other words.
        const rewritten = randomJob(pool[(number * 13) % pool.length], some.id);
        await seedJobs(database, [rewritten]);
        jobs = jobs.map((job) => (job.id === some.id ? rewritten : job));
      } else if (step === 'status' && some) {
        await database.jobs.update(some.id, { status: 'en_route' });
      } else if (step === 'delete' && some) {
        await deleteJobWithHistory(database, some.id);
        jobs = jobs.filter((job) => job.id !== some.id);
      } else if (step === 'removal' && some) {
        await applyPullPage(database, { changes: [{ seq: String(10_000 + number), entity: 'jobRemoval', op: 'remove', id: some.id }], cursor: String(10_000 + number), hasMore: false, serverTime });
        jobs = jobs.filter((job) => job.id !== some.id);
      } else if (step === 'abort') {
        const doomed = randomJob(pool[number % pool.length]);
        const row: LocalJob = { ...doomed, confirmedStatus: doomed.status, lastConfirmedAt: serverTime, searchWords: ['doomed'], removedOnServer: false, listKey: '2025-03-05' };
        await expect(
          database.transaction('rw', database.jobs, async () => {
            await database.jobs.put(row);
            throw new Error('the write is abandoned');
          }),
        ).rejects.toThrow('abandoned');
        expect(database.searchWords.idsMatching('doomed')).toEqual(new Set());
      } else {
        database.searchWords.compact();
      }
      await expectSameAsTheIndex(database, queries, `after step ${number} (${step})`);
    }

    // Signing out clears the jobs; the next user's first sync fills them again.
    await clearUserData(database);
    await expectSameAsTheIndex(database, queries, 'after a sign-out');
    expect(database.searchWords.idsMatching('r')).toEqual(new Set());
    await seedJobs(database, pool.slice(0, 10).map((fields) => randomJob(fields)));
    await expectSameAsTheIndex(database, queries, 'after the next first sync');
  }, 120_000);

  it('ends equal to the table when writes commit while the words are being loaded', async () => {
    const database = (db = freshDatabase());
    await signInAs(database);
    const pool = fc.sample(jobFields, { numRuns: 2600, seed: 17 });
    const jobs = pool.slice(0, 2500).map((fields) => randomJob(fields));
    // More than one slice of the load, so writes land between its reads.
    await seedJobs(database, jobs);
    database.searchWords.start();
    expect(database.searchWords.ready).toBe(false);
    expect(database.searchWords.idsMatching('rc')).toBeUndefined();
    const writes = [
      seedJobs(database, pool.slice(2500).map((fields) => randomJob(fields))),
      seedJobs(database, jobs.slice(0, 50).map((job, index) => randomJob(pool[2599 - index], job.id))),
      ...jobs.slice(100, 140).map((job) => deleteJobWithHistory(database, job.id)),
      seedJobs(database, jobs.slice(2000, 2010).map((job) => randomJob(pool[0], job.id))),
    ];
    await Promise.all([...writes, database.searchWords.whenReady()]);
    await expectSameAsTheIndex(database, queriesFor(pool.slice(0, 60).map((fields) => randomJob(fields))), 'loaded during writes');
  }, 120_000);

  it('shows a job that arrives by sync to a search already typed', async () => {
    const database = (db = freshDatabase());
    await signInAs(database);
    database.searchWords.start();
    await database.searchWords.whenReady();
    expect(database.searchWords.idsMatching('RC01234')).toEqual(new Set());
    let changes = 0;
    database.searchWords.subscribe(() => (changes += 1));
    const arriving = makeJob({ serial: 'RC01234-3' });
    await applyPullPage(database, jobPage([arriving]));
    expect(changes).toBe(1);
    expect(database.searchWords.idsMatching('RC01234')).toEqual(new Set([arriving.id]));
    // A status change leaves the words as they were: nothing to redraw.
    await database.jobs.update(arriving.id, { status: 'en_route' });
    expect(changes).toBe(1);
  });
});

describe('the sorted words with changes set aside', () => {
  const word = fc.stringMatching(/^[ab1é]{1,5}$/);
  const operation = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), id: fc.integer({ min: 0, max: 30 }), words: fc.array(word, { maxLength: 6 }) }),
    fc.record({ kind: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 30 }) }),
    fc.record({ kind: fc.constant('compact' as const) }),
  );

  it('answers like checking every job, in any order of writes and folds', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), fc.array(fc.array(word, { maxLength: 3 }), { minLength: 1, maxLength: 8 }), (operations, queries) => {
        const index = new SearchWordsIndex();
        const truth = new Map<string, string[]>();
        for (const op of operations) {
          if (op.kind === 'set') {
            index.set(`job-${op.id}`, op.words);
            truth.set(`job-${op.id}`, op.words);
          } else if (op.kind === 'remove') {
            index.remove(`job-${op.id}`);
            truth.delete(`job-${op.id}`);
          } else {
            index.compact();
          }
          for (const query of queries) {
            const prefixes = [...new Set(query)];
            const expected = prefixes.length === 0 ? null : [...truth].filter(([, words]) => matchesSearchPrefixes(words, prefixes)).map(([id]) => id).sort();
            expect(sorted(index.idsMatching(prefixes))).toEqual(expected);
          }
        }
      }),
      { seed: 18, numRuns: 300 },
    );
  });
});
