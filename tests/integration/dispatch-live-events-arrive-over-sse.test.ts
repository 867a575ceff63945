import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveJobEvent } from '../../shared/dispatch/dispatch-api';
import { PullResponse } from '../../shared/sync/protocol';
import { readEvents } from './helpers/event-stream';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('the dispatch live feed', () => {
  it('sends a job event within seconds of an agent’s sync, and resumes after Last-Event-ID', async () => {
    const dispatcher = await server.login('dispatcher1');
    const agent = await server.login('agent1');
    const response = await fetch(`${server.url}/api/v1/events`, { headers: { authorization: `Bearer ${dispatcher.token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);

    const pulled = PullResponse.parse((await server.api('/api/v1/sync/pull?limit=1000', { token: agent.token, protocol: true })).body);
    const job = pulled.changes.flatMap((change) => (change.entity === 'job' ? [change.data] : []))[0];
    if (!job) throw new Error('agent1 needs a job');
    const outbox = deviceOutbox('agent1-laptop');
    const started = Date.now();
    await server.api('/api/v1/sync/push', { token: agent.token, protocol: true, json: outbox.push([outbox.note(job.id, 'Left a card', agent.user.id)]) });

    const events = await readEvents(response, (seen) => seen.some((event) => LiveJobEvent.parse(event.data).entity === 'jobNote'));
    expect(Date.now() - started).toBeLessThan(5_000);
    const noteEvent = LiveJobEvent.parse(events.find((event) => LiveJobEvent.parse(event.data).entity === 'jobNote')?.data);
    expect(noteEvent.jobId).toBe(job.id);

    // A browser that lost the connection resumes after the last id it saw and misses nothing.
    const resumed = await fetch(`${server.url}/api/v1/events`, { headers: { authorization: `Bearer ${dispatcher.token}`, 'last-event-id': String(Number(noteEvent.seq) - 1) } });
    const replay = await readEvents(resumed, (seen) => seen.length > 0);
    expect(LiveJobEvent.parse(replay[0]?.data)).toEqual(noteEvent);
  });
});
