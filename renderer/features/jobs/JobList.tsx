import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef } from 'react';
import { useSyncStatus } from '../../sync/sync-status';
import { describeDownload } from '../../sync/sync-words';
import { useJobRows } from './jobs-data';
import { JobListRow, JobListRowPlaceholder } from './JobListRow';
import './job-list.css';

/** A row's height before it is measured; rows are measured as they are drawn. */
const ESTIMATED_ROW_PX = 86;
/**
 * Rows drawn beyond the window on each side: enough that a short list is drawn whole (keyboard
 * and find-in-page reach every job of a normal day), few enough that 10,000 jobs cost nothing.
 */
const OVERSCAN_ROWS = 20;

interface JobListProps {
  ids: string[] | undefined;
  selectedJobId: string | null;
  filtered: boolean;
  onOpen: (jobId: string) => void;
}

const countFormat = new Intl.NumberFormat();

/**
 * The job list, virtualised: only the rows in view (and a margin) are in the page, and only
 * those rows are read from IndexedDB, so 10,000 jobs scroll like 10. Give it a new `key` when
 * the search or filters change, so a new result starts at its top.
 */
export function JobList({ ids, selectedJobId, filtered, onOpen }: JobListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = ids?.length ?? 0;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    overscan: OVERSCAN_ROWS,
    getItemKey: (index) => ids?.[index] ?? index,
  });
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
        <ul className="job-list is-virtual" aria-label="Jobs" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const id = ids[item.index] ?? '';
            const job = rows?.get(id);
            return (
              <li
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                aria-setsize={count}
                aria-posinset={item.index + 1}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                {job ? <JobListRow job={job} now={now} selected={job.id === selectedJobId} onOpen={onOpen} /> : <JobListRowPlaceholder />}
              </li>
            );
          })}
        </ul>
      </div>
    </>
  );
}
