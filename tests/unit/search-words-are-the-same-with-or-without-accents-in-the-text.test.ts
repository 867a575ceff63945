import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../shared/domain/job';
import { searchPrefixes, searchWordsForJob } from '../../renderer/db/search-words';

/**
 * A job's search words are made for every pulled job, so their making has a fast path for text
 * that is all ASCII (no Unicode normalisation). The words must be exactly those of the plain
 * definition below for any text, accented or not, or a job would be found by one spelling of its
 * customer's name and not by the other.
 */
function plainWords(text: string | null | undefined): string[] {
  if (!text) return [];
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

function plainSearchWords(job: Job): string[] {
  const withCompact = (text: string | null | undefined) => {
    const words = plainWords(text);
    return words.length > 0 ? [...words, words.join('')] : [];
  };
  const all = [
    ...plainWords(job.customer.name),
    ...plainWords(job.address.line1),
    ...plainWords(job.address.line2),
    ...plainWords(job.address.city),
    ...plainWords(job.address.postalCode),
    ...withCompact(job.accountRef),
    ...job.items.flatMap((item) => [...withCompact(item.serial), ...withCompact(item.assetTag)]),
  ];
  // Sorted, each once, without a word that begins another.
  const sorted = [...new Set(all)].sort();
  return sorted.filter((word, index) => !(sorted[index + 1] ?? '').startsWith(word));
}

// ASCII letters, digits and separators beside accented, composed, compatibility and non-Latin ones.
const text = fc.string({ unit: fc.constantFrom('a', 'B', 'z', 'Q', '0', '7', ' ', '-', '.', "'", '/', 'É', 'é', 'ö', 'ß', 'ﬁ', 'Ｔ', '²', 'İ', 'ø', 'Ж', '日', 'e\u0301', '\u00a0'), maxLength: 14 });
const optionalText = fc.option(text, { nil: null });

function job(fields: { name: string; line1: string; line2: string | null; city: string; postalCode: string; accountRef: string; items: { serial: string; assetTag: string | null }[] }): Job {
  return {
    customer: { name: fields.name },
    address: { line1: fields.line1, line2: fields.line2, city: fields.city, postalCode: fields.postalCode },
    accountRef: fields.accountRef,
    items: fields.items,
  } as unknown as Job;
}

describe('search words', () => {
  it('are those of the plain definition for any text, with or without accents', () => {
    fc.assert(
      fc.property(
        fc.record({
          name: text,
          line1: text,
          line2: optionalText,
          city: text,
          postalCode: text,
          accountRef: text,
          items: fc.array(fc.record({ serial: text, assetTag: optionalText }), { maxLength: 5 }),
        }),
        (fields) => {
          const made = job(fields);
          expect(searchWordsForJob(made)).toEqual(plainSearchWords(made));
        },
      ),
      { numRuns: 2_000, seed: 42 },
    );
  });

  it('find an accented name by its plain spelling, and a serial with or without its dashes', () => {
    const made = job({ name: 'Élodie Ångström', line1: '12 Rue de la Paix', line2: null, city: 'Zürich', postalCode: '8001', accountRef: 'ACC-0042', items: [{ serial: 'RC-004-121', assetTag: null }] });
    const words = searchWordsForJob(made);
    for (const typed of ['elodie', 'angstrom', 'zurich', 'rc004121', 'rc', 'acc0042']) {
      const [prefix] = searchPrefixes(typed);
      expect(words.some((word) => word.startsWith(prefix ?? '\u0000')), typed).toBe(true);
    }
    // "rc" is covered by "rc004121", so it is not kept on its own.
    expect(words).not.toContain('rc');
    expect(words).toContain('rc004121');
  });
});
