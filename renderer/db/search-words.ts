import type { Job } from '../../shared/domain/job';

const wordSeparator = /[^\p{L}\p{N}]+/u;
/** For text that is all ASCII: the same words without Unicode normalisation, which dominated a first sync's word making. */
const asciiOnly = /^[\x00-\x7f]*$/;
const asciiWordSeparator = /[^a-z0-9]+/;

/** Lower case without accents, split at anything not a letter or digit (empty strings included). */
function split(text: string): string[] {
  return asciiOnly.test(text)
    ? text.toLowerCase().split(asciiWordSeparator)
    : text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().split(wordSeparator);
}

/** Lower case without accents, so "elodie" finds "Élodie" (an agent's keyboard may lack the accent). */
function words(text: string | null | undefined): string[] {
  return text ? split(text).filter((word) => word.length > 0) : [];
}

/**
 * Adds a text's words to a job's; `withCompact` adds them run together too, since serials are
 * read off plates with or without dashes.
 */
function addWords(into: string[], text: string | null | undefined, withCompact = false): void {
  if (!text) return;
  let joined = '';
  for (const word of split(text)) {
    if (word.length === 0) continue;
    into.push(word);
    joined += word;
  }
  if (withCompact && joined.length > 0) into.push(joined);
}

/** The words a job is found by, kept on its row and held in memory by the search (SearchWordsMirror). */
export function searchWordsForJob(job: Job): string[] {
  const all: string[] = [];
  addWords(all, job.customer.name);
  addWords(all, job.address.line1);
  addWords(all, job.address.line2);
  addWords(all, job.address.city);
  addWords(all, job.address.postalCode);
  addWords(all, job.accountRef, true);
  for (const item of job.items) {
    addWords(all, item.serial, true);
    addWords(all, item.assetTag, true);
  }
  return withoutCoveredWords(all);
}

/**
 * Drops each word that begins another word of the same job: every prefix that finds it finds
 * the longer one too ("rc00412" is covered by "rc004121"). About half the words go, which
 * halves what the search holds in memory and what a short prefix walks.
 */
function withoutCoveredWords(words: string[]): string[] {
  // In sorted order a word that begins another is directly followed by one it begins (or by
  // itself, repeated).
  const sorted = words.sort();
  const kept: string[] = [];
  for (let index = 0; index < sorted.length; index += 1) {
    const word = sorted[index] as string;
    const next = sorted[index + 1];
    if (next === undefined || !next.startsWith(word)) kept.push(word);
  }
  return kept;
}

/** What the agent typed, as prefixes to look up; the longest first since it narrows most. */
export function searchPrefixes(query: string): string[] {
  return [...new Set(words(query))].sort((a, b) => b.length - a.length);
}

/** Every prefix starts one of the job's words; no prefixes match every job. */
export function matchesSearchPrefixes(jobWords: readonly string[], prefixes: readonly string[]): boolean {
  return prefixes.every((prefix) => jobWords.some((word) => word.startsWith(prefix)));
}
