import { z } from 'zod';
import { IsoDateTime, Job, JobNote, JobStatusChange } from '../domain/job';
import { doorChanges, doorMutations } from './door-protocol';

/**
 * The sync contract (see ARCHITECTURE.md). Bump MIN_SUPPORTED_PROTOCOL_VERSION when a client
 * built against the old shape could corrupt data talking to a newer server; the server then
 * refuses older clients with a clear "update the app" problem instead of guessing.
 *
 * Version 2 adds pulled change kinds (personal property; see changeKindSince). Version 1
 * clients are still served, without those kinds, so an agent who has not updated keeps syncing.
 *
 * Version 3 adds the custody log's signed checkpoint to every pull page (PullResponse.checkpoint,
 * a C2SP signed note by the organisation key: shared/trust/checkpoint.ts). A laptop keeps the
 * newest checkpoint it has verified; when a pull brings a larger one it asks
 * GET /api/v1/custody/log/consistency?from=<kept size>&to=<new size> and checks the proof
 * (shared/trust/merkle-log.ts checkTree) before keeping the new one, so a server that rewrote
 * history is caught by its own laptops. Versions 1 and 2 get no checkpoint and sync as before.
 *
 * Version 4 adds the customer receipt (a pushed and pulled door entity, its PDF a blob). Older
 * laptops push nothing of the kind and are never sent it (changeKindSince), so they sync as before.
 */
export const PROTOCOL_VERSION = 4;
/** The first protocol whose pull pages carry the custody log checkpoint. */
export const CHECKPOINT_PROTOCOL_VERSION = 3;
export const MIN_SUPPORTED_PROTOCOL_VERSION = 1;
export const PROTOCOL_HEADER = 'x-reclaim-protocol';
/**
 * On a pull page with more to come: the cursor of the next page, the same as the body's. A client
 * can ask for that page as soon as the answer's headers arrive, before it reads, checks and stores
 * this one. An addition any client may ignore (older servers do not send it).
 */
export const PULL_NEXT_CURSOR_HEADER = 'x-reclaim-next-cursor';

export const MAX_PUSH_BATCH = 200;
export const DEFAULT_PULL_LIMIT = 200;
export const MAX_PULL_LIMIT = 1000;

const mutationEnvelope = {
  /** UUIDv7 made on the client; the server remembers every id it has applied. */
  id: z.uuid(),
  deviceId: z.string().min(1).max(64),
  clientTime: IsoDateTime,
  hlc: z.string().min(1).max(100),
};

export const JobStatusChangeMutation = z.object({
  ...mutationEnvelope,
  entity: z.literal('jobStatusChange'),
  op: z.literal('create'),
  data: JobStatusChange,
});

export const JobNoteMutation = z.object({
  ...mutationEnvelope,
  entity: z.literal('jobNote'),
  op: z.literal('create'),
  data: JobNote,
});

export const Mutation = z.discriminatedUnion('entity', [JobStatusChangeMutation, JobNoteMutation, ...doorMutations(mutationEnvelope)]);
export type Mutation = z.infer<typeof Mutation>;
export type MutationEntity = Mutation['entity'];

/**
 * The push body checks only the envelope of each mutation. Each one is then validated on its
 * own, so one malformed mutation is rejected with a reason instead of blocking the whole
 * outbox behind a 400.
 */
export const PushRequest = z.object({
  protocolVersion: z.number().int().positive(),
  deviceId: z.string().min(1).max(64),
  mutations: z
    .array(z.looseObject({ id: z.uuid() }))
    .min(1)
    .max(MAX_PUSH_BATCH),
});
export type PushRequest = z.infer<typeof PushRequest>;

export const mutationOutcomes = ['applied', 'duplicate', 'rejected'] as const;

export const MutationResult = z.object({
  id: z.uuid(),
  outcome: z.enum(mutationOutcomes),
  /** Words for people, present when rejected or when the change was flagged for review. */
  reason: z.string().nullable(),
  code: z
    .enum(['invalid', 'not_found', 'forbidden', 'transition', 'clock_drift', 'flagged', 'blob_missing', 'chain_waiting', 'custody_broken'])
    .nullable(),
});

export type MutationResult = z.infer<typeof MutationResult>;

/**
 * Refusals that are not final: the client keeps the mutation in its outbox and sends it again
 * (a clock put right, a photo uploaded, an earlier custody event arrived). The server does not
 * remember them, so the retry is judged afresh.
 */
export const retryableRefusals: ReadonlySet<MutationResult['code']> = new Set(['clock_drift', 'blob_missing', 'chain_waiting']);

export const PushResponse = z.object({
  results: z.array(MutationResult),
  serverTime: IsoDateTime,
});
export type PushResponse = z.infer<typeof PushResponse>;

/**
 * The server's change sequence, as text so no client treats it as a clock. Clients keep it and
 * send it back without reading it: the server may say more in it (leading zeros mark a cursor
 * read at an older protocol, so an updated app is sent what it skipped; server/sync/pull-cursor.ts).
 */
export const Cursor = z.string().regex(/^\d{1,18}$/, 'a cursor is the decimal text the server gave');

export const PullQuery = z.object({
  cursor: Cursor.default('0'),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
  /**
   * `1` asks the server to say how many records remain after the page (PullResponse.remaining),
   * so a long first sync can show "4,000 of 10,000". Asked once per round: it is a count, not free.
   * Servers that predate it ignore it, and the client then shows what it has received.
   */
  remaining: z.literal('1').optional(),
});
export type PullQuery = z.infer<typeof PullQuery>;

export const Change = z.discriminatedUnion('entity', [
  z.object({ seq: Cursor, entity: z.literal('job'), op: z.literal('upsert'), data: Job }),
  /** The job left this user's view (reassigned, or closed and synced); drop it locally. */
  z.object({ seq: Cursor, entity: z.literal('jobRemoval'), op: z.literal('remove'), id: z.uuid() }),
  z.object({ seq: Cursor, entity: z.literal('jobStatusChange'), op: z.literal('upsert'), data: JobStatusChange }),
  z.object({ seq: Cursor, entity: z.literal('jobNote'), op: z.literal('upsert'), data: JobNote }),
  ...doorChanges(Cursor),
]);
export type Change = z.infer<typeof Change>;

export const PullResponse = z.object({
  changes: z.array(Change),
  cursor: Cursor,
  hasMore: z.boolean(),
  serverTime: IsoDateTime,
  /** Protocol 3 and later: the custody log's current checkpoint, a signed note (see above). */
  checkpoint: z.string().max(4000).optional(),
  /** Only when asked (PullQuery.remaining): records after this page, each counted once at its latest change. */
  remaining: z.number().int().min(0).optional(),
});
export type PullResponse = z.infer<typeof PullResponse>;
