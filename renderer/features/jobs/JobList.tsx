import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useMemo, useRef } from 'react';
import { useSyncStatus } from '../../sync/sync-status';
import { describeDownload } from '../../sync/sync-words';
import { useJobRows } from './jobs-data';
import { JobListRow, JobListRowPlaceholder } from './JobListRow';
import './job-list.css';

/** A row's height before it is measured: rows measured 93 px (one address line) to 115 px (two) at the default width and font. */
const ESTIMATED_ROW_PX = 112;
/**
 * Rows drawn beyond the window on each side: enough that a short list is drawn whole (keyboard
 * and find-in-page reach every job of a normal day), few enough that 10,000 jobs cost nothing.
 */
const OVERSCAN_ROWS = 20;

/**
 * A row's height as the browser's ResizeObserver reports it, after its own layout; when a row is
 * first drawn, the height known for that job (or the estimate) until the report comes. The
 * virtualiser's default reads offsetHeight as each row mounts, which made every key press lay
 * out the whole page inside the input event and draw the list twice before the answer showed.
 * The rows sit in the page's flow (see JobList), so a height not yet known never overlaps them.
 */
function reportedHeight(element: Element, entry: ResizeObserverEntry | undefined, virtualizer: Virtualizer<HTMLDivElement, Element>): number {
  const box = entry?.borderBoxSize[0];
  if (box) return Math.round(box.blockSize);
  const index = virtualizer.indexFromElement(element);
  return virtualizer.itemSizeCache.get(virtualizer.options.getItemKey(index)) ?? virtualizer.options.estimateSize(index);
}

interface JobListProps {
  ids: string[] | undefined;
  /** Changes when the search or a filter does: a new result starts at its top. */
  resultKey: string;
  selectedJobId: string | null;
  filtered: boolean;
  onOpen: (jobId: string) => void;
}

const countFormat = new Intl.NumberFormat();

/**
 * The job list, virtualised: only the rows in view (and a margin) are in the page, and only
 * those rows are read from IndexedDB, so 10,000 jobs scroll like 10. The drawn rows follow one
 * another in the page's flow, the block moved down to where the first of them starts; heights
 * are learnt by job as rows are drawn, so the list is not drawn again to place them.
 */
export function JobList({ ids, resultKey, selectedJobId, filtered, onOpen }: JobListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = ids?.length ?? 0;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    overscan: OVERSCAN_ROWS,
    getItemKey: (index) => ids?.[index] ?? index,
    measureElement: reportedHeight,
  });
  // Scrolling reads the layout; at the top already (the usual case while typing) nothing is read.
  useLayoutEffect(() => {
    if ((virtualizer.scrollOffset ?? 0) !== 0) virtualizer.scrollToOffset(0);
  }, [virtualizer, resultKey]);
  const items = virtualizer.getVirtualItems();
  const shownIds = useMemo(() => items.map((item) => ids?.[item.index] ?? ''), [items, ids]);
  const rows = useJobRows(shownIds);
  // Overdue is judged once per result, so unchanged rows keep equal props and are not redrawn.
  const now = useMemo(() => new Date(), [ids]);
  // A first sync lists its jobs once they are all in (see useJobListIds); until then, how far it is.
  const download = useSyncStatus(describeDownload);

  if (ids === undefined) return <p className="list-message">Loading jobs…</p>;
  if (count === 0) {
    return (
      <p className="list-message">
        {filtered
          ? 'No jobs match this search.'
          : download
            ? `${download}. Your jobs are listed when the download ends.`
            : 'No jobs on this device yet. They arrive with the next sync.'}
      </p>
    );
  }
  return (
    <>
      <p className="list-count" aria-live="polite">
        {countFormat.format(count)} job{count === 1 ? '' : 's'}
      </p>
      <div className="job-list-scroller" ref={scrollRef}>
        <div className="job-list-extent" style={{ height: virtualizer.getTotalSize() }}>
          <ul className="job-list is-virtual" aria-label="Jobs" style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}>
            {items.map((item) => {
              const id = ids[item.index] ?? '';
              const job = rows?.get(id);
              return (
                <li key={item.key} data-index={item.index} ref={virtualizer.measureElement} aria-setsize={count} aria-posinset={item.index + 1}>
                  {job ? <JobListRow job={job} now={now} selected={job.id === selectedJobId} onOpen={onOpen} /> : <JobListRowPlaceholder />}
                </li>
              );
            })}
          </ul>
        </div>
      </div>
    </>
  );
}
