export interface StreamedEvent {
  readonly id: string;
  readonly data: unknown;
}

/** Reads server-sent events from a real HTTP response until `enough` says stop. */
export async function readEvents(response: Response, enough: (events: StreamedEvent[]) => boolean, timeoutMs = 10_000): Promise<StreamedEvent[]> {
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no body');
  const decoder = new TextDecoder();
  const events: StreamedEvent[] = [];
  let buffer = '';
  const timer = setTimeout(() => void reader.cancel(new Error('timed out')), timeoutMs);
  try {
    while (!enough(events)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended (or timed out) after ${events.length} events`);
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const id = /^id: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (id && data) events.push({ id, data: JSON.parse(data) });
        end = buffer.indexOf('\n\n');
      }
    }
  } finally {
    clearTimeout(timer);
  }
  await reader.cancel();
  return events;
}
