import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Job } from '../../../shared/domain/job';
import type { User } from '../../../shared/domain/roles';
import { DispatchError, dispatchClient, followLiveEvents, type DispatchClient } from './dispatch-client';

export interface DispatchData {
  readonly client: DispatchClient;
  readonly jobs: readonly Job[];
  readonly total: number;
  readonly agents: readonly User[];
  readonly reviewCount: number;
  readonly loading: boolean;
  readonly error: string | null;
  /** Whether the live feed is connected; when not, the views say they may be stale. */
  readonly live: boolean;
  readonly refresh: () => Promise<void>;
}

/** The dispatch views' data: jobs, agents and the review count, refreshed by the live feed. */
export function useDispatchData(serverUrl: string): DispatchData {
  const client = useMemo(() => dispatchClient(serverUrl), [serverUrl]);
  const [state, setState] = useState({ jobs: [] as Job[], total: 0, agents: [] as User[], reviewCount: 0 });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  const refresh = useCallback(async () => {
    try {
      const [jobs, agents, review] = await Promise.all([client.listJobs(), client.agents(), client.reviewInbox()]);
      setState({ jobs: jobs.jobs, total: jobs.total, agents: agents.users, reviewCount: review.jobs.length });
      setError(null);
    } catch (caught) {
      setError(caught instanceof DispatchError ? caught.message : String(caught));
    } finally {
      setLoading(false);
    }
  }, [client]);

  useEffect(() => {
    void refresh();
    // A sync burst sends many events; one reload a moment later covers them all.
    const stop = followLiveEvents(
      serverUrl,
      () => {
        if (pending.current) return;
        pending.current = setTimeout(() => {
          pending.current = null;
          void refresh();
        }, 400);
      },
      setLive,
    );
    return () => {
      stop();
      if (pending.current) clearTimeout(pending.current);
    };
  }, [serverUrl, refresh]);

  return { client, ...state, loading, error, live, refresh };
}
