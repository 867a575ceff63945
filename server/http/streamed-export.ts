import { Readable } from 'node:stream';

/**
 * Runs a streamed export up to its first chunk (which should hold the header and the first page
 * of rows) before the answer starts. Everything that can be checked is checked by then: the
 * query was validated and the first page was read, so a failure is a problem answer, not a 200
 * that breaks off. Later pages stream as they are read, each when the client has taken the one
 * before, so memory holds a page or two whatever the export's size; closing the stream ends the reading.
 */
export async function startedStream(chunks: AsyncIterable<string>): Promise<Readable> {
  const iterator = chunks[Symbol.asyncIterator]();
  const first = await iterator.next();
  async function* all(): AsyncGenerator<string> {
    try {
      if (first.done) return;
      yield first.value;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      await iterator.return?.();
    }
  }
  // One page waits at most: Readable.from would otherwise read 16 pages ahead of a slow client.
  return Readable.from(all(), { highWaterMark: 1 });
}
