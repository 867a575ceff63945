import { describe, expect, it } from 'vitest';
import { Mutation, PullQuery, PullResponse, PushRequest } from '../../shared/sync/protocol';
import { newId } from '../../shared/ids';

const userId = newId();
const jobId = newId();

function noteMutation(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: newId(),
    deviceId: 'device-1',
    clientTime: '2026-11-23T10:00:00.000Z',
    hlc: '001795000000000:00000:device-1',
    entity: 'jobNote',
    op: 'create',
    data: { id: newId(), jobId, text: 'Left a door hanger', at: '2026-11-23T10:00:00.000Z', byUserId: userId },
    ...overrides,
  };
}

describe('mutation schema', () => {
  it('accepts a note and a status change', () => {
    expect(Mutation.safeParse(noteMutation()).success).toBe(true);
    const change = {
      ...noteMutation(),
      entity: 'jobStatusChange',
      data: { id: newId(), jobId, from: 'assigned', to: 'en_route', at: '2026-11-23T10:00:00Z', byUserId: userId, reason: null },
    };
    expect(Mutation.safeParse(change).success).toBe(true);
  });

  it('refuses an unknown entity, an empty note, a bad id and an unknown status', () => {
    expect(Mutation.safeParse(noteMutation({ entity: 'visit' })).success).toBe(false);
    expect(Mutation.safeParse(noteMutation({ id: 'not-a-uuid' })).success).toBe(false);
    const empty = noteMutation();
    (empty.data as Record<string, unknown>).text = '   ';
    expect(Mutation.safeParse(empty).success).toBe(false);
    const badStatus = {
      ...noteMutation(),
      entity: 'jobStatusChange',
      data: { id: newId(), jobId, from: 'assigned', to: 'teleported', at: '2026-11-23T10:00:00Z', byUserId: userId, reason: null },
    };
    expect(Mutation.safeParse(badStatus).success).toBe(false);
  });

  it('refuses a client time without a zone offset', () => {
    expect(Mutation.safeParse(noteMutation({ clientTime: '2026-11-23 10:00' })).success).toBe(false);
  });
});

describe('push request', () => {
  it('checks only envelopes, so one malformed mutation can be rejected on its own', () => {
    const parsed = PushRequest.safeParse({
      protocolVersion: 1,
      deviceId: 'device-1',
      mutations: [noteMutation(), { id: newId(), entity: 'nonsense' }],
    });
    expect(parsed.success).toBe(true);
  });

  it('refuses an empty batch, an oversized batch and a mutation without an id', () => {
    expect(PushRequest.safeParse({ protocolVersion: 1, deviceId: 'd', mutations: [] }).success).toBe(false);
    const tooMany = Array.from({ length: 201 }, () => noteMutation());
    expect(PushRequest.safeParse({ protocolVersion: 1, deviceId: 'd', mutations: tooMany }).success).toBe(false);
    expect(PushRequest.safeParse({ protocolVersion: 1, deviceId: 'd', mutations: [{ entity: 'jobNote' }] }).success).toBe(false);
  });
});

describe('pull schemas', () => {
  it('defaults the cursor and limit and refuses a limit out of range', () => {
    expect(PullQuery.parse({})).toEqual({ cursor: '0', limit: 200 });
    expect(PullQuery.parse({ cursor: '42', limit: '10' })).toEqual({ cursor: '42', limit: 10 });
    expect(PullQuery.safeParse({ limit: '0' }).success).toBe(false);
    expect(PullQuery.safeParse({ limit: '5000' }).success).toBe(false);
  });

  it('refuses a cursor that looks like a clock', () => {
    expect(PullQuery.safeParse({ cursor: '2026-11-23T10:00:00Z' }).success).toBe(false);
    expect(PullQuery.safeParse({ cursor: '-1' }).success).toBe(false);
  });

  it('accepts a page of changes and refuses a page with a malformed row', () => {
    const page = {
      changes: [
        { seq: '7', entity: 'jobRemoval', op: 'remove', id: jobId },
        {
          seq: '8',
          entity: 'jobNote',
          op: 'upsert',
          data: { id: newId(), jobId, text: 'Gate code 1234', at: '2026-11-23T10:00:00Z', byUserId: userId },
        },
      ],
      cursor: '8',
      hasMore: false,
      serverTime: '2026-11-23T10:00:01Z',
    };
    expect(PullResponse.safeParse(page).success).toBe(true);
    const broken = { ...page, changes: [{ seq: '9', entity: 'job', op: 'upsert', data: { id: jobId } }] };
    expect(PullResponse.safeParse(broken).success).toBe(false);
  });
});
