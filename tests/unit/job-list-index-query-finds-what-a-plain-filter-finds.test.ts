import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { jobStatuses } from '../../shared/domain/job-status';
import { dueFilters } from '../../renderer/db/job-due';
import { filterJobs, JobsRepository } from '../../renderer/db/jobs-repository';
import type { ReclaimDatabase } from '../../renderer/db/schema';
import { matchesSearchPrefixes } from '../../renderer/db/search-words';
import { freshDatabase, makeJob, seedJobs, signInAs } from './renderer-test-fixtures';

/**
 * The job list filters the jobs it holds in memory on each key press (filterJobs), while other
 * callers ask IndexedDB through the searchWords index (listJobs). Both must find the same jobs in
 * the same order, or the list would show what a search elsewhere in the app does not.
 */
let db: ReclaimDatabase;
afterEach(async () => {
  await db.delete();
});

const names = ['Maria Gonzalez', 'Daniel Okafor', 'Mei Tanaka', 'Olu Okonkwo', 'Ana Gomez', 'Ravi Patel'];
const streets = ['2150 N Milwaukee Ave', '4400 S Cottage Grove Ave', '12 W Madison St', '88 N Milwaukee Ave'];
const serials = ['ARS-5521-XK', 'TCH-88120', 'TCH-88121', 'SN00412', 'ARS-5521-XL'];
const dueDates = [null, '2025-03-01', '2025-03-04', '2025-03-05', '2025-03-09', '2025-03-10', '2025-04-01'];
const queries = ['', 'oka', 'okafor daniel', 'tch', 'TCH-8812', 'tch88121', 'milwaukee', 'n mil', 'ars 5521', 'zz', 'go'];

describe('the job list filters in memory exactly as the indexed query does', () => {
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
    // Tuesday 4 March 2025, 09:00 on this device.
    const now = new Date(2025, 2, 4, 9);
    const repository = new JobsRepository(db, () => now);
    const everyJob = await repository.listJobs();
    expect(everyJob).toHaveLength(60);

    for (const search of queries) {
      for (const status of ['all' as const, ...jobStatuses]) {
        for (const due of dueFilters) {
          const filter = { search, status, due };
          const inMemory = filterJobs(everyJob, filter, now).map((job) => job.id);
          const indexed = (await repository.listJobs(filter)).map((job) => job.id);
          expect(inMemory, JSON.stringify(filter)).toEqual(indexed);
        }
      }
    }
  });

  it('keeps only jobs with a word starting with every typed prefix', () => {
    const words = ['daniel', 'okafor', 'tch', '88120', 'tch88120'];
    expect(matchesSearchPrefixes(words, [])).toBe(true);
    expect(matchesSearchPrefixes(words, ['oka', 'dan'])).toBe(true);
    expect(matchesSearchPrefixes(words, ['tch8812'])).toBe(true);
    expect(matchesSearchPrefixes(words, ['oka', 'maria'])).toBe(false);
    expect(matchesSearchPrefixes(words, ['afor'])).toBe(false);
  });
});
