import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { JobFilter } from '../../shared/api/job-query';
import type { StoreKind } from './dialect';
import type { Database } from './schema';

/**
 * The office's job filter as SQL, the same on both stores. Every condition here has an index
 * (migrations 0016 and 0018): the list, the board's counts and the map all go through this one
 * function, so a filter can never count one set of jobs and list another.
 */

/** More words than this add nothing to finding one job; the rest are ignored. */
const MAX_SEARCH_WORDS = 8;

/** The trigram words index needs three characters to look anything up. */
const TRIGRAM = 3;

/** LIKE treats % and _ as wildcards; a serial such as "AB_12" must match only itself. */
export function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The words of a search, lower-cased as search_text is, each once. */
export function searchWords(q: string | undefined): string[] {
  if (!q) return [];
  return [...new Set(q.toLowerCase().split(/\s+/).filter(Boolean))].slice(0, MAX_SEARCH_WORDS);
}

/** An FTS5 query that matches each word as a substring (a trigram phrase), all of them required. */
function trigramMatch(words: readonly string[]): string {
  return words.map((word) => `"${word.replace(/"/g, '""')}"`).join(' AND ');
}

type Condition = (eb: ExpressionBuilder<Database, 'jobs'>) => Expression<SqlBool>;

function searchCondition(words: readonly string[], kind: StoreKind): Condition[] {
  const like = (word: string): Condition => () => sql<SqlBool>`jobs.search_text like ${likePattern(word)} escape '\\'`;
  if (kind === 'postgres') return words.map(like);
  const indexed = words.filter((word) => [...word].length >= TRIGRAM);
  const short = words.filter((word) => [...word].length < TRIGRAM);
  const conditions = short.map(like);
  if (indexed.length > 0) {
    conditions.unshift(() => sql<SqlBool>`jobs.rowid in (select rowid from jobs_search where jobs_search match ${trigramMatch(indexed)})`);
  }
  return conditions;
}

export interface FilterOptions {
  /** Leave the status filter out: the counts group by status over everything else. */
  readonly ignoreStatus?: boolean;
}

/** The filter as a WHERE condition on jobs. An empty filter matches every job. */
export function jobFilterCondition(filter: JobFilter, kind: StoreKind, options: FilterOptions = {}): Condition {
  const parts: Condition[] = [];
  if (filter.status && !options.ignoreStatus) {
    const statuses = filter.status;
    parts.push((eb) => eb('jobs.status', 'in', statuses));
  }
  if (filter.assignedAgentId === 'none') parts.push((eb) => eb('jobs.assigned_agent_id', 'is', null));
  else if (filter.assignedAgentId) {
    const agentId = filter.assignedAgentId;
    parts.push((eb) => eb('jobs.assigned_agent_id', '=', agentId));
  }
  if (filter.clientId) {
    const clientId = filter.clientId;
    parts.push((eb) => eb('jobs.client_id', '=', clientId));
  }
  if (filter.priority) {
    const priority = filter.priority;
    parts.push((eb) => eb('jobs.priority', '=', priority));
  }
  // The due date itself, not sort_due: a comparison leaves undated jobs out by itself, and the
  // filter indexes (migration 0018) carry it, so a count with a date range reads no job row.
  if (filter.dueNone) parts.push((eb) => eb('jobs.due_date', 'is', null));
  if (filter.dueFrom) {
    const from = filter.dueFrom;
    parts.push((eb) => eb('jobs.due_date', '>=', from));
  }
  if (filter.dueTo) {
    const to = filter.dueTo;
    parts.push((eb) => eb('jobs.due_date', '<=', to));
  }
  if (filter.flagged === true) parts.push((eb) => eb('jobs.review_reason', 'is not', null));
  if (filter.flagged === false) parts.push((eb) => eb('jobs.review_reason', 'is', null));
  parts.push(...searchCondition(searchWords(filter.q), kind));
  return (eb) => eb.and(parts.map((part) => part(eb)));
}
