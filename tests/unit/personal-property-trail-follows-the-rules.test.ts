import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowedPropertyEvents,
  isFinalPropertyStatus,
  PersonalPropertyEntry,
  PersonalPropertyEvent,
  propertyState,
  propertyTransitionProblem,
  type PersonalPropertyEvent as PropertyEvent,
} from '../../shared/domain/personal-property';
import { newId } from '../../shared/ids';
import { blobsNamedBy, clientReadsChangeKind } from '../../shared/sync/door-protocol';
import { Change, PROTOCOL_VERSION } from '../../shared/sync/protocol';

const propertyId = newId();
const jobId = newId();
const byUserId = newId();
const hash = (digit: string) => digit.repeat(64);

function event(kind: PropertyEvent['kind'], at: string, id: string = newId()): PropertyEvent {
  const base = { id, propertyId, jobId, at, place: null, note: '', byUserId };
  switch (kind) {
    case 'stored':
      return { ...base, kind, location: 'Warehouse shelf B4' };
    case 'returned':
      return { ...base, kind, returnedTo: 'Ada Vance', method: 'handed_over', signatureHash: null };
    case 'released':
      return { ...base, kind, releasedTo: 'Chicago Police, 19th District', reason: 'Held as found property' };
    case 'disposed':
      return { ...base, kind, reason: 'Unclaimed 30 days after the written notice' };
  }
}

const kinds = ['stored', 'returned', 'released', 'disposed'] as const;
const anEvent = fc
  .record({ kind: fc.constantFrom(...kinds), minute: fc.integer({ min: 0, max: 59 }), id: fc.uuid({ version: 7 }) })
  .map(({ kind, minute, id }) => event(kind, `2025-03-04T10:${String(minute).padStart(2, '0')}:00.000Z`, id));
const someEvents = fc.uniqueArray(anEvent, { maxLength: 8, selector: (entry) => entry.id });

describe('the trail of personal property', () => {
  it('starts with the agent who found it and moves through storage to a return', () => {
    const stored = event('stored', '2025-03-04T10:00:00.000Z');
    const returned = event('returned', '2025-03-05T09:00:00.000Z');
    expect(propertyState([]).status).toBe('held');
    expect(propertyState([stored])).toMatchObject({ status: 'stored', location: 'Warehouse shelf B4', conflicts: [] });
    expect(propertyState([returned, stored])).toMatchObject({ status: 'returned', location: null, trail: [stored, returned], conflicts: [] });
  });

  it('refuses disposal before the belongings were stored and offered back', () => {
    expect(propertyTransitionProblem('held', 'disposed')).toMatch(/only after they were stored/);
    expect(propertyTransitionProblem('stored', 'disposed')).toBeNull();
    expect(allowedPropertyEvents('held')).toEqual(['stored', 'returned', 'released']);
    expect(allowedPropertyEvents('stored')).toEqual(['stored', 'returned', 'released', 'disposed']);
    expect(allowedPropertyEvents('returned')).toEqual([]);
  });

  it('keeps a second fate recorded elsewhere as a conflict, never as the state', () => {
    const returned = event('returned', '2025-03-04T10:00:00.000Z');
    const stored = event('stored', '2025-03-04T11:00:00.000Z');
    const state = propertyState([stored, returned]);
    expect(state.status).toBe('returned');
    expect(state.conflicts).toEqual([stored]);
  });

  it('reaches the same state from the same events in any order of arrival', () => {
    fc.assert(
      fc.property(someEvents.chain((events) => fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length }))), ([events, shuffled]) => {
        expect(propertyState(shuffled)).toEqual(propertyState(events));
      }),
    );
  });

  it('is a path of allowed steps from the finder, losing no event', () => {
    fc.assert(
      fc.property(someEvents, (events) => {
        const state = propertyState(events);
        expect(state.trail.length + state.conflicts.length).toBe(events.length);
        let status = 'held' as ReturnType<typeof propertyState>['status'];
        for (const step of state.trail) {
          expect(propertyTransitionProblem(status, step.kind)).toBeNull();
          status = step.kind;
        }
        expect(status).toBe(state.status);
        // Once the belongings left our hands, nothing later moves them.
        const finalAt = state.trail.findIndex((step) => isFinalPropertyStatus(step.kind));
        if (finalAt >= 0) expect(finalAt).toBe(state.trail.length - 1);
      }),
    );
  });
});

describe('personal property records', () => {
  it('say in words what is missing', () => {
    const entry = PersonalPropertyEntry.safeParse({
      id: newId(),
      jobId,
      itemId: null,
      description: ' ',
      foundWhere: 'in the paper tray',
      photoHashes: [],
      foundAt: '2025-03-04T10:00:00.000Z',
      place: null,
      byUserId,
    });
    expect(entry.success).toBe(false);
    expect(entry.error?.issues[0]?.message).toBe('say what was found');
    const disposal = PersonalPropertyEvent.safeParse({ ...event('disposed', '2025-03-04T10:00:00.000Z'), reason: 'junk' });
    expect(disposal.error?.issues[0]?.message).toMatch(/give the reason it was disposed of/);
  });

  it('name their photos and the receiver’s signature, so they wait for the bytes to upload', () => {
    expect(blobsNamedBy({ entity: 'personalProperty', data: { photoHashes: [hash('a'), hash('b')] } })).toEqual([hash('a'), hash('b')]);
    expect(blobsNamedBy({ entity: 'personalPropertyEvent', data: { ...event('returned', '2025-03-04T10:00:00.000Z'), signatureHash: hash('c') } })).toEqual([hash('c')]);
    expect(blobsNamedBy({ entity: 'personalPropertyEvent', data: event('stored', '2025-03-04T10:00:00.000Z') })).toEqual([]);
  });

  it('are pulled only by clients that declare protocol 2 or later', () => {
    expect(PROTOCOL_VERSION).toBeGreaterThanOrEqual(2);
    expect(clientReadsChangeKind('personalProperty', 1)).toBe(false);
    expect(clientReadsChangeKind('personalPropertyEvent', 1)).toBe(false);
    expect(clientReadsChangeKind('personalProperty', 2)).toBe(true);
    expect(clientReadsChangeKind('visit', 1)).toBe(true);
    expect(Change.safeParse({ seq: '5', entity: 'personalPropertyEvent', op: 'upsert', data: event('stored', '2025-03-04T10:00:00.000Z') }).success).toBe(true);
  });
});
