import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ClientSummary, JobCounts } from '../../../shared/api/job-query';
import type { User } from '../../../shared/domain/roles';
import { DispatchError, dispatchClient, followLiveEvents, type DispatchClient } from './dispatch-client';

export interface DispatchData {
  readonly client: DispatchClient;
  readonly agents: readonly User[];
  readonly clients: readonly ClientSummary[];
  /** The whole organisation's counts (no filter): the tab badges. */
  readonly counts: JobCounts | null;
  /** Bumped by every live change and every refresh: each view asks the server again when it moves. */
  readonly version: number;
  readonly loading: boolean;
  readonly error: string | null;
  /** Whether the live feed is connected; when not, the views say they may be stale. */
  readonly live: boolean;
  readonly refresh: () => Promise<void>;
}

/**
 * What every dispatch view shares: agents, clients and the organisation's counts, and a version
 * the live feed moves. The jobs themselves stay on the server; each view asks for its own page.
 */
export function useDispatchData(serverUrl: string): DispatchData {
  const client = useMemo(() => dispatchClient(serverUrl), [serverUrl]);
  const [state, setState] = useState({ agents: [] as User[], clients: [] as ClientSummary[], counts: null as JobCounts | null });
  const [version, setVersion] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  const refresh = useCallback(async () => {
    setVersion((current) => current + 1);
    try {
      const [agents, clients, counts] = await Promise.all([client.agents(), client.clients(), client.jobCounts('')]);
      setState({ agents: agents.users, clients: clients.clients, counts });
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

  return { client, ...state, version, loading, error, live, refresh };
}
