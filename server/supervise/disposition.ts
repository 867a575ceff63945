import { webcrypto } from 'node:crypto';
import { fromBase64Url, toBase64Url } from '../../shared/custody/crypto-port';
import { CUSTODY_SCHEME, type CustodyEvent } from '../../shared/custody/custody-event';
import { sealCustodyEvent } from '../../shared/custody/custody-hash';
import { newId } from '../../shared/ids';
import { dispositionKind, dispositionNote, needsCertificate, readDispositionNote, type DispositionRequest } from '../../shared/supervise/disposition';
import type { Principal } from '../auth/principal';
import type { ServerContext } from '../context';
import { custodyRepository } from '../custody/custody-repository';
import { problems } from '../http/problem';
import { jobsRepository } from '../store/jobs-repository';
import type { Database } from '../store/schema';
import type { Kysely } from 'kysely';

/**
 * The signing key of one office user, made on their first disposition. Its public half is a
 * device key like any laptop's (device "office:<username>"), so bundles and verifiers need
 * nothing new; the private half stays in the server's database.
 */
async function officeKey(db: Kysely<Database>, principal: Principal, at: string) {
  const row = await db.selectFrom('office_signing_keys').selectAll().where('user_id', '=', principal.userId).executeTakeFirst();
  if (row) {
    const privateKey = await webcrypto.subtle.importKey('pkcs8', fromBase64Url(row.private_pkcs8), { name: 'Ed25519' }, false, ['sign']);
    const key = await custodyRepository(db).deviceKey(row.device_key_id);
    if (!key) throw new Error('an office signing key lost its public half');
    return { key, privateKey };
  }
  const pair = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const key = {
    id: newId(),
    deviceId: `office:${principal.username}`.slice(0, 64),
    userId: principal.userId,
    algorithm: 'Ed25519' as const,
    publicKey: toBase64Url(new Uint8Array(await webcrypto.subtle.exportKey('raw', pair.publicKey))),
    createdAt: at,
  };
  await custodyRepository(db).addDeviceKey(key, at);
  await db.insertInto('office_signing_keys').values({ device_key_id: key.id, user_id: principal.userId, private_pkcs8: toBase64Url(new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', pair.privateKey))), created_at: at }).execute();
  return { key, privateKey: pair.privateKey };
}

/**
 * Records an item's final disposition as the last event of its chain: hashed over the previous
 * event like any other, signed with the recording supervisor's office key, the disposition and
 * its NIST SP 800-88 certificate sealed into the note. An item is disposed of once.
 */
export async function recordDisposition(context: ServerContext, principal: Principal, itemId: string, request: DispositionRequest): Promise<CustodyEvent> {
  return context.store.db.transaction().execute(async (db) => {
    const custody = custodyRepository(db);
    const at = context.now().toISOString();
    const head = (await custody.heads([itemId])).get(itemId);
    if (!head) throw problems.notFound('No custody record names this item; it must be collected before it can be disposed of.');
    const headRow = await db.selectFrom('custody_events').select(['data_json', 'job_id']).where('hash', '=', head).executeTakeFirstOrThrow();
    const last = JSON.parse(headRow.data_json) as CustodyEvent;
    if (readDispositionNote(last.note)) throw problems.conflict('This item already has its final disposition; a correction is a new record made by an administrator.');
    const job = await jobsRepository(db).find(headRow.job_id);
    const expected = job?.items.find((item) => item.id === itemId) ?? null;
    if (needsCertificate(request.disposition, expected?.type ?? null) && request.certificate === null) {
      throw problems.validation(`A ${expected?.type?.replace(/_/g, ' ') ?? 'data-bearing device'} may hold data: attach the sanitization certificate (NIST SP 800-88 Appendix G) to record it as ${request.disposition.replace(/_/g, ' ')}.`, [{ path: 'certificate', message: 'required for a data-bearing device' }]);
    }
    const note = dispositionNote(request);
    if (note.length > 2000) throw problems.validation('The certificate is too long to seal into the record; shorten the notes and details.', [{ path: 'certificate', message: 'too long' }]);
    const serial = last.items.find((item) => item.itemId === itemId)?.serial ?? expected?.serial ?? itemId;
    const { key, privateKey } = await officeKey(db, principal, at);
    const destroyedOrRecycled = request.disposition === 'destroyed' || request.disposition === 'recycled';
    const event = await sealCustodyEvent(webcrypto.subtle, privateKey, {
      scheme: CUSTODY_SCHEME,
      id: newId(),
      jobId: headRow.job_id,
      kind: dispositionKind[request.disposition],
      at,
      place: null,
      from: { role: 'warehouse', name: `${principal.displayName} (office)`, userId: principal.userId },
      to: { role: destroyedOrRecycled ? 'disposer' : 'client', name: request.toName, userId: null },
      items: [{ itemId, serial, previousEventHash: head }],
      sealNumber: null,
      photoHashes: [],
      signatureHashes: [],
      correctsEventId: null,
      note,
      deviceId: key.deviceId,
      deviceKeyId: key.id,
      recordedByUserId: principal.userId,
    });
    await custody.append(event, context.clock.now(), at);
    return event;
  });
}
