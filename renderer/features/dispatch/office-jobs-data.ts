import { useEffect, useState } from 'react';
import type { JobCounts } from '../../../shared/api/job-query';
import type { JobList } from '../../../shared/api/jobs';
import type { DispatchClient } from './dispatch-client';

export interface Loaded<T> {
  readonly value: T | null;
  readonly loading: boolean;
  readonly error: string | null;
}

/**
 * Asks the server again whenever the query or the data version (bumped by the live feed and by
 * the office's own changes) moves. An answer that arrives after a newer question is dropped, so
 * fast typing never shows the page of an older search.
 */
function useServerQuery<T>(load: () => Promise<T>, key: string, version: number): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ value: null, loading: true, error: null });
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (value) => current && setState({ value, loading: false, error: null }),
      (caught: unknown) => current && setState((previous) => ({ value: previous.value, loading: false, error: caught instanceof Error ? caught.message : String(caught) })),
    );
    return () => {
      current = false;
    };
    // `load` is rebuilt every render; the key says when the question changed.
  }, [key, version]);
  return state;
}

/** One page of the office table. */
export function useJobPage(client: DispatchClient, query: string, version: number): Loaded<JobList> {
  return useServerQuery(() => client.listJobs(query), `list ${query}`, version);
}

/** Exact counts for a filter, from the database. */
export function useJobCounts(client: DispatchClient, query: string, version: number): Loaded<JobCounts> {
  return useServerQuery(() => client.jobCounts(query), `counts ${query}`, version);
}

/** The same question a moment after the last keystroke: a search per word typed, not per letter. */
export function useSettled<T>(value: T, delayMs = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
