import { useCallback, useState } from 'react';
import type { JobList } from '../../../shared/api/jobs';

/**
 * Where a page of the office's lists starts. Next and previous follow the server's cursors (an
 * index seek at any depth, and a job arriving meanwhile never repeats a row); the last page is
 * read backwards from the end. The page number is the dispatcher's bearing, not the query.
 */
export type PageAt =
  | { readonly kind: 'first' }
  | { readonly kind: 'after'; readonly cursor: string }
  | { readonly kind: 'before'; readonly cursor: string }
  | { readonly kind: 'last'; readonly size: number };

export interface PagePlace {
  readonly index: number;
  readonly at: PageAt;
}

const firstPage: PagePlace = { index: 0, at: { kind: 'first' } };

/** The page's place as query parameters: after or before a cursor, or the end. */
export function pageParams(place: PagePlace, pageSize: number): URLSearchParams {
  const params = new URLSearchParams();
  const { at } = place;
  params.set('limit', String(at.kind === 'last' ? at.size : pageSize));
  if (at.kind === 'after') params.set('after', at.cursor);
  if (at.kind === 'before') params.set('before', at.cursor);
  if (at.kind === 'last') params.set('before', 'end');
  return params;
}

function lastPlace(total: number, pageSize: number): PagePlace {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return { index: pages - 1, at: pages === 1 ? { kind: 'first' } : { kind: 'last', size: total - (pages - 1) * pageSize } };
}

/** A list's place and the moves from it; any change of question goes back to the first page. */
export function usePagePlace() {
  const [place, setPlace] = useState<PagePlace>(firstPage);
  const toFirst = useCallback(() => setPlace(firstPage), []);
  const toLast = useCallback((total: number, pageSize: number) => setPlace(lastPlace(total, pageSize)), []);
  return { place, setPlace, toFirst, toLast };
}

interface PagerProps {
  readonly place: PagePlace;
  readonly pageSize: number;
  readonly page: JobList;
  readonly onPlace: (place: PagePlace) => void;
  readonly label: string;
}

/** "Jobs 51–100 of 3,090" with first, previous, next and last: every page of the server's answer is reachable. */
export function Pager({ place, pageSize, page, onPlace, label }: PagerProps) {
  const { total } = page;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const index = Math.min(place.index, pages - 1);
  const first = total === 0 || page.jobs.length === 0 ? 0 : index * pageSize + 1;
  const last = Math.min(total, index * pageSize + page.jobs.length);
  const atStart = index === 0 && page.previousCursor === null;
  const previous = (): PagePlace => (index <= 1 || page.previousCursor === null ? firstPage : { index: index - 1, at: { kind: 'before', cursor: page.previousCursor } });
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="button-secondary" disabled={atStart} onClick={() => onPlace(firstPage)}>
        First
      </button>
      <button type="button" className="button-secondary" disabled={atStart} onClick={() => onPlace(previous())}>
        Previous
      </button>
      <span className="pager-position" aria-live="polite">
        {first.toLocaleString()}–{last.toLocaleString()} of {total.toLocaleString()} · page {(index + 1).toLocaleString()} of {pages.toLocaleString()}
      </span>
      <button type="button" className="button-secondary" disabled={page.nextCursor === null} onClick={() => page.nextCursor !== null && onPlace({ index: index + 1, at: { kind: 'after', cursor: page.nextCursor } })}>
        Next
      </button>
      <button type="button" className="button-secondary" disabled={page.nextCursor === null} onClick={() => onPlace(lastPlace(total, pageSize))}>
        Last
      </button>
    </nav>
  );
}
