import pg from 'pg';
import { CHANGES_CHANNEL } from '../store/dialect';

/**
 * Wakes the live views when the change log grows, whichever instance wrote it. Listeners are
 * hints, never the data: the live feed still reads the log from its cursor, so a notification
 * lost to a dropped connection costs at most one poll interval, never an event.
 */
export interface ChangeNotifications {
  /** Calls `listener` soon after any instance commits change-log rows; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
  close(): Promise<void>;
}

/** SQLite has one server process, and its live feed polls the log; nothing to listen to. */
export const noChangeNotifications: ChangeNotifications = {
  subscribe: () => () => {},
  close: async () => {},
};

const RECONNECT_MS = 1_000;

/**
 * LISTENs on PostgreSQL for the NOTIFY every change-log append sends on commit (see
 * changeLog().append). One dedicated connection per instance, outside the query pool: a pooled
 * connection is handed to other queries and would lose its LISTEN. It reconnects after errors.
 */
export async function listenForChanges(databaseUrl: string): Promise<ChangeNotifications> {
  const listeners = new Set<() => void>();
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const wake = () => {
    for (const listener of [...listeners]) listener();
  };

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', wake);
    next.on('error', () => reconnect(next));
    next.on('end', () => reconnect(next));
    await next.connect();
    await next.query(`listen ${CHANGES_CHANNEL}`);
    if (closed) {
      await next.end();
      return;
    }
    client = next;
    // Rows committed while no connection listened are picked up by the next read from the cursor.
    wake();
  }

  function reconnect(failed: pg.Client): void {
    if (closed || client !== failed) return;
    client = null;
    failed.removeAllListeners('end');
    void failed.end().catch(() => {});
    scheduleConnect();
  }

  function scheduleConnect(): void {
    clearTimeout(retry);
    retry = setTimeout(() => {
      connect().catch(() => scheduleConnect());
    }, RECONNECT_MS);
    retry.unref();
  }

  await connect();

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      listeners.clear();
      const current = client;
      client = null;
      if (current) {
        current.removeAllListeners('end');
        await current.end().catch(() => {});
      }
    },
  };
}
