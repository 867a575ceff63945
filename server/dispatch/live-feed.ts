import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { LiveJobEvent } from '../../shared/dispatch/dispatch-api';
import { noChangeNotifications, type ChangeNotifications } from '../cluster/change-notifications';
import { ProblemError } from '../http/problem';
import { changeLog } from '../store/change-log';
import type { Database } from '../store/schema';

export interface LiveFeedOptions {
  readonly pollMs?: number;
  readonly heartbeatMs?: number;
  /** Wakes open streams as soon as any instance commits to the log (PostgreSQL LISTEN/NOTIFY). */
  readonly notifications?: ChangeNotifications;
  /** Streams one user may hold open on this instance; one more is answered 429. */
  readonly maxStreamsPerUser?: number;
  /** A stream that carried no event for this long is closed; the client reconnects and resumes. */
  readonly idleMs?: number;
}

/**
 * Server-sent events for the dispatch views, fed from the office's copy of the change log. The
 * log is the source (not in-process events) so every instance of a multi-instance server sees
 * every agent's sync; each event id is the log sequence, so a reconnecting browser resumes with
 * Last-Event-ID and misses nothing.
 */
export function createLiveFeed(db: Kysely<Database>, options: LiveFeedOptions = {}) {
  const pollMs = options.pollMs ?? 1_000;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const notifications = options.notifications ?? noChangeNotifications;
  const maxStreamsPerUser = options.maxStreamsPerUser ?? 5;
  const idleMs = options.idleMs ?? 10 * 60_000;
  const open = new Set<() => void>();
  /** Each user's open streams, so one browser (or one stolen token) cannot hold a thousand sockets. */
  const openByUser = new Map<string, Set<() => void>>();

  async function latestSeq(): Promise<number> {
    const row = await db.selectFrom('changes').select((eb) => eb.fn.max('seq').as('seq')).where('audience_user_id', 'is', null).executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  async function stream(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    // HEAD asks whether the stream is there, not for the stream: answer the headers and end.
    if (request.method === 'HEAD') {
      return reply.code(200).header('cache-control', 'no-store, no-transform').type('text/event-stream; charset=utf-8').send();
    }
    const userId = request.principal?.userId ?? '';
    const mine = openByUser.get(userId) ?? new Set<() => void>();
    if (mine.size >= maxStreamsPerUser) {
      // The app retries a refused stream every few seconds, so it connects as soon as one closes.
      void reply.header('retry-after', '30');
      throw new ProblemError(
        429,
        'too_many_streams',
        `You already have ${maxStreamsPerUser} live views open (windows or tabs on the dispatch board or map). Close one and this one connects by itself.`,
      );
    }
    // The slot is taken before the first await, so a burst of requests cannot all slip past the count.
    const reservation = () => {};
    mine.add(reservation);
    openByUser.set(userId, mine);
    const release = (slot: () => void) => {
      mine.delete(slot);
      if (mine.size === 0) openByUser.delete(userId);
    };
    const lastEventId = Number(request.headers['last-event-id']);
    let cursor: number;
    try {
      cursor = Number.isSafeInteger(lastEventId) && lastEventId >= 0 && request.headers['last-event-id'] !== undefined ? lastEventId : await latestSeq();
    } finally {
      release(reservation);
    }
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write(`retry: 3000\n: connected at seq ${cursor}\n\n`);

    // Heartbeats do not count: a view nobody looks at, or a socket whose peer vanished without a
    // FIN, is let go; a live one reconnects at once with Last-Event-ID, and its session is checked
    // again on the way in, so a revoked session does not keep a stream for ever.
    const idleTimer = setTimeout(() => close(), idleMs);
    let polling = false;
    // A wake-up that lands while a read is running must not be lost: read once more after it.
    let again = false;
    const poll = async () => {
      if (polling) {
        again = true;
        return;
      }
      polling = true;
      try {
        do {
          again = false;
          const rows = await changeLog(db).readAfter('office', cursor, 500);
          for (const row of rows) {
            const event: LiveJobEvent = { seq: String(row.seq), entity: row.entity, jobId: row.jobId };
            raw.write(`id: ${row.seq}\nevent: job\ndata: ${JSON.stringify(event)}\n\n`);
            cursor = row.seq;
          }
          if (rows.length > 0) idleTimer.refresh();
          if (rows.length === 500) again = true;
        } while (again && !raw.writableEnded);
      } catch {
        // The database closing under a shutdown ends the stream below; a transient error retries.
      } finally {
        polling = false;
      }
    };
    const pollTimer = setInterval(() => void poll(), pollMs);
    const unsubscribe = notifications.subscribe(() => void poll());
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), heartbeatMs);
    const close = () => {
      unsubscribe();
      clearInterval(pollTimer);
      clearInterval(heartbeat);
      clearTimeout(idleTimer);
      open.delete(close);
      release(close);
      if (!raw.writableEnded) raw.end();
    };
    open.add(close);
    mine.add(close);
    openByUser.set(userId, mine);
    raw.on('close', close);
    return reply;
  }

  return {
    stream,
    /** Ends every open stream, so the server can close without waiting on idle browsers. */
    closeAll(): void {
      for (const close of [...open]) close();
    },
  };
}
