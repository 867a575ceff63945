import {
  ConsistencyProofAnswer,
  ConsistencyQuery,
  InclusionProofAnswer,
  InclusionQuery,
  LogCheckpoint,
  OrgKeyHistory,
  OrgKeyRotationResult,
  OrgSigningKeyInfo,
} from '../../shared/api/trust';
import type { ServerContext } from '../context';
import type { ApiRouter } from '../http/api-router';
import { problems } from '../http/problem';
import { custodyLog, CustodyLogRangeError } from './custody-log';

async function answeringRangeErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CustodyLogRangeError) throw problems.validation(`${error.message}.`);
    throw error;
  }
}

/**
 * The organisation key a verifier pins (public: a stranger holding a bundle must be able to read
 * it), its rotation history, and the custody log's checkpoint and proofs for signed-in users.
 */
export function registerTrustRoutes(api: ApiRouter, context: ServerContext): void {
  const { db } = context.store;

  api.route({
    method: 'GET',
    url: '/api/v1/org/signing-key',
    summary: "The organisation's signing key: what a verifier pins by its fingerprint (SHA-256 of the raw key)",
    tag: 'trust',
    action: 'orgKey.read',
    response: { status: 200, description: 'The current key', schema: OrgSigningKeyInfo },
    handler: async () => (await context.orgKey.history()).current,
  });

  api.route({
    method: 'GET',
    url: '/api/v1/org/signing-key/history',
    summary: "Every rotation of the organisation's key, each signed by the retiring key and its successor",
    tag: 'trust',
    action: 'orgKey.read',
    response: { status: 200, description: 'The rotation statements, oldest first, and the current key', schema: OrgKeyHistory },
    handler: () => context.orgKey.history(),
  });

  api.route({
    method: 'POST',
    url: '/api/v1/org/signing-key/rotate',
    summary: 'Replace the organisation key: the new key is certified by the old, and records signed before still verify',
    tag: 'trust',
    action: 'orgKey.rotate',
    response: { status: 200, description: 'The retired key, the new key and the rotation statement', schema: OrgKeyRotationResult },
    handler: () => context.orgKey.rotate(),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/custody/log/checkpoint',
    summary: "The custody log's size and root, signed by the organisation key now",
    tag: 'trust',
    action: 'custodyLog.read',
    response: { status: 200, description: 'A signed checkpoint', schema: LogCheckpoint },
    handler: () => custodyLog(db).signedCheckpoint(context),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/custody/log/inclusion',
    summary: 'Proof that a custody event is in the log of a given size (RFC 9162 inclusion proof)',
    tag: 'trust',
    action: 'jobs.read',
    problems: [404],
    query: InclusionQuery,
    response: { status: 200, description: "The event's leaf, its index and the proof", schema: InclusionProofAnswer },
    handler: async ({ query, grant }) =>
      answeringRangeErrors(async () => {
        const log = custodyLog(db);
        const entry = (await log.leaves([query.eventId])).get(query.eventId);
        const absent = 'The custody log has no such event.';
        if (!entry) throw problems.notFound(absent);
        // An agent learns only of events on their own jobs; others are as good as absent.
        await grant.requireJobInScope(entry.leaf.jobId, absent);
        const treeSize = query.treeSize ?? (await log.size());
        const proof = await log.inclusionProof(query.eventId, treeSize);
        if (!proof) throw problems.notFound(`The event was logged at position ${entry.leafIndex + 1}, after the log of ${treeSize} records; ask with a newer checkpoint.`);
        return { treeSize, ...proof };
      }),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/custody/log/consistency',
    summary: 'Proof that the log of size `from` is a prefix of the log of size `to` (RFC 9162 consistency proof)',
    tag: 'trust',
    action: 'custodyLog.read',
    query: ConsistencyQuery,
    response: { status: 200, description: 'The proof', schema: ConsistencyProofAnswer },
    handler: async ({ query }) => answeringRangeErrors(async () => ({ from: query.from, to: query.to, proof: await custodyLog(db).consistencyProof(query.from, query.to) })),
  });
}
