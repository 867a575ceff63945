import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { jobStatuses } from '../../shared/domain/job-status';
import { dueFilters, matchesDue } from '../../renderer/db/job-due';
import { selectJobIds } from '../../renderer/db/job-list-order';
import { JobsRepository, type JobListFilter } from '../../renderer/db/jobs-repository';
import type { LocalJob, ReclaimDatabase } from '../../renderer/db/schema';
import { matchesSearchPrefixes, searchPrefixes } from '../../renderer/db/search-words';
import { freshDatabase, makeJob, seedJobs, signInAs } from './renderer-test-fixtures';

/**
 * The job list reads only indexes (list order, [status+list order]) and the rows' words to find
 * which jobs to show, through IndexedDB (listJobIds) or from the order held in memory
 * (selectJobIds, what the screen uses, with the words held in memory). It must find exactly
 * what the plain definition finds — every job checked against the search, status and due
 * filters, sorted soonest due, most pressing, then by customer — or an agent would miss a job
 * the filters say is there.
 */
const priorityRank = { urgent: 0, high: 1, normal: 2, low: 3 } as const;

function byWorkOrder(a: LocalJob, b: LocalJob): number {
  const dueA = a.dueDate ?? '9999-12-31';
  const dueB = b.dueDate ?? '9999-12-31';
  if (dueA !== dueB) return dueA < dueB ? -1 : 1;
  const rank = priorityRank[a.priority] - priorityRank[b.priority];
  if (rank !== 0) return rank;
  const name = a.customer.name.toLowerCase().localeCompare(b.customer.name.toLowerCase(), 'en');
  return name !== 0 ? name : a.id < b.id ? -1 : 1;
}

function plainFilter(jobs: readonly LocalJob[], filter: Required<JobListFilter>, now: Date): LocalJob[] {
  const prefixes = searchPrefixes(filter.search);
  return jobs
    .filter((job) => (filter.status === 'all' || job.status === filter.status) && matchesDue(job, filter.due, now) && matchesSearchPrefixes(job.searchWords, prefixes))
    .sort(byWorkOrder);
}
let db: ReclaimDatabase;
afterEach(async () => {
  db.searchWords.stop();
  await db.delete();
});

const names = ['Maria Gonzalez', 'Daniel Okafor', 'Mei Tanaka', 'Olu Okonkwo', 'Ana Gomez', 'Ravi Patel'];
const streets = ['2150 N Milwaukee Ave', '4400 S Cottage Grove Ave', '12 W Madison St', '88 N Milwaukee Ave'];
const serials = ['ARS-5521-XK', 'TCH-88120', 'TCH-88121', 'SN00412', 'ARS-5521-XL'];
const dueDates = [null, '2025-03-01', '2025-03-04', '2025-03-05', '2025-03-09', '2025-03-10', '2025-04-01'];
const queries = ['', 'oka', 'okafor daniel', 'tch', 'TCH-8812', 'tch88121', 'milwaukee', 'n mil', 'ars 5521', 'zz', 'go'];

describe('the job list index query finds what a plain filter finds', () => {
  it('finds the same jobs in the same order for any search, status and due filter', async () => {
    db = freshDatabase();
    await signInAs(db);
    const random = fc.sample(
      fc.record({
        customerName: fc.constantFrom(...names),
        line1: fc.constantFrom(...streets),
        serial: fc.constantFrom(...serials),
        dueDate: fc.constantFrom(...dueDates),
        status: fc.constantFrom(...jobStatuses),
        priority: fc.constantFrom('low' as const, 'normal' as const, 'high' as const, 'urgent' as const),
      }),
      { numRuns: 60, seed: 7 },
    );
    await seedJobs(db, random.map((fields) => makeJob(fields)));
    let now = new Date();
    const repository = new JobsRepository(db, () => now);
    const everyJob = await repository.listJobs();
    expect(everyJob).toHaveLength(60);
    repository.searchWords.start();
    await repository.searchWords.whenReady();

    // A Tuesday, the Sunday that ends its week, the Monday after: the due edges move with the day
    // the order is read for.
    for (const day of [new Date(2025, 2, 4, 9), new Date(2025, 2, 9, 23, 30), new Date(2025, 2, 10, 0, 5)]) {
      now = day;
      const order = await repository.readListOrder();
      for (const search of queries) {
        for (const status of ['all' as const, ...jobStatuses]) {
          for (const due of dueFilters) {
            const filter = { search, status, due };
            const plain = plainFilter(everyJob, filter, now).map((job) => job.id);
            const indexed = await repository.listJobIds(filter);
            expect(indexed, JSON.stringify(filter)).toEqual(plain);
            // The list on screen: the order read from the indexes for that day, sliced in memory, and the search.
            const shown = selectJobIds(order, filter, await repository.idsMatching(search));
            expect(shown, JSON.stringify({ day: order.day, ...filter })).toEqual(plain);
            // What the screen searches: the words held in memory.
            const inMemory = repository.searchWords.idsMatching(search);
            if (inMemory === undefined) throw new Error('the search words are not in memory yet');
            expect(selectJobIds(order, filter, inMemory), JSON.stringify({ inMemory: true, ...filter })).toEqual(plain);
          }
        }
      }
    }
  }, 120_000);

  it('keeps only jobs with a word starting with every typed prefix', () => {
    const words = ['daniel', 'okafor', 'tch', '88120', 'tch88120'];
    expect(matchesSearchPrefixes(words, [])).toBe(true);
    expect(matchesSearchPrefixes(words, ['oka', 'dan'])).toBe(true);
    expect(matchesSearchPrefixes(words, ['tch8812'])).toBe(true);
    expect(matchesSearchPrefixes(words, ['oka', 'maria'])).toBe(false);
    expect(matchesSearchPrefixes(words, ['afor'])).toBe(false);
  });
});
