import type { Job } from '../../shared/domain/job';

const wordSeparator = /[^\p{L}\p{N}]+/u;

/** Lower case without accents, so "elodie" finds "Élodie" (an agent's keyboard may lack the accent). */
function words(text: string | null | undefined): string[] {
  if (!text) return [];
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(wordSeparator)
    .filter((word) => word.length > 0);
}

/** Serials are read off plates with or without dashes; keep a compact form too. */
function compact(text: string | null | undefined): string[] {
  if (!text) return [];
  const joined = words(text).join('');
  return joined.length > 0 ? [joined] : [];
}

/** The words a job is found by, kept on its row and held in memory by the search (SearchWordsMirror). */
export function searchWordsForJob(job: Job): string[] {
  const all = [
    ...words(job.customer.name),
    ...words(job.address.line1),
    ...words(job.address.line2),
    ...words(job.address.city),
    ...words(job.address.postalCode),
    ...words(job.accountRef),
    ...compact(job.accountRef),
    ...job.items.flatMap((item) => [
      ...words(item.serial),
      ...compact(item.serial),
      ...words(item.assetTag),
      ...compact(item.assetTag),
    ]),
  ];
  return withoutCoveredWords(all);
}

/**
 * Drops each word that begins another word of the same job: every prefix that finds it finds
 * the longer one too ("rc00412" is covered by "rc004121"). About half the words go, which
 * halves what the search holds in memory and what a short prefix walks.
 */
function withoutCoveredWords(words: readonly string[]): string[] {
  const sorted = [...new Set(words)].sort();
  // In sorted order a word that begins another is directly followed by one it begins.
  return sorted.filter((word, index) => !(sorted[index + 1] ?? '').startsWith(word));
}

/** What the agent typed, as prefixes to look up; the longest first since it narrows most. */
export function searchPrefixes(query: string): string[] {
  return [...new Set(words(query))].sort((a, b) => b.length - a.length);
}

/** Every prefix starts one of the job's words; no prefixes match every job. */
export function matchesSearchPrefixes(jobWords: readonly string[], prefixes: readonly string[]): boolean {
  return prefixes.every((prefix) => jobWords.some((word) => word.startsWith(prefix)));
}
