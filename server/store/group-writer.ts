/**
 * Group commit for the small rows nearly every request writes (the audit log's line, the time a
 * laptop last synced). Each caller still waits until its own row is stored, so "once you have
 * the answer, the row is there" keeps holding; but rows that arrive while a write is under way
 * wait for it and then go together, in one multi-row INSERT and one commit. On PostgreSQL every
 * statement is a round trip and every commit a WAL flush, so at a fleet's rate this turns one
 * write per request into one per round of requests. A quiet server writes each row at once: the
 * first row never waits for company.
 *
 * A batch that fails is written again one row at a time, so a row that cannot be stored fails
 * only its own caller and never loses its neighbours.
 */
export interface GroupWriter<T> {
  /** Resolves once `item` is stored; rejects with the error that kept it from being stored. */
  write(item: T): Promise<void>;
}

interface Waiting<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export function groupWriter<T>(writeAll: (items: readonly T[]) => Promise<void>, maxBatch = 500): GroupWriter<T> {
  const queue: Waiting<T>[] = [];
  let writing = false;

  async function writeBatch(batch: readonly Waiting<T>[]): Promise<void> {
    try {
      await writeAll(batch.map((waiting) => waiting.item));
      for (const waiting of batch) waiting.resolve();
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const waiting of batch) {
        try {
          await writeAll([waiting.item]);
          waiting.resolve();
        } catch (alone) {
          waiting.reject(alone);
        }
      }
    }
  }

  async function drain(): Promise<void> {
    writing = true;
    try {
      while (queue.length > 0) await writeBatch(queue.splice(0, maxBatch));
    } finally {
      writing = false;
    }
  }

  return {
    write(item) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}
