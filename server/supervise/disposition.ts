import { webcrypto } from 'node:crypto';
import { CUSTODY_SCHEME, type CustodyEvent } from '../../shared/custody/custody-event';
import { sealCustodyEvent } from '../../shared/custody/custody-hash';
import { newId } from '../../shared/ids';
import { dispositionKind, dispositionNote, needsCertificate, readDispositionNote, type DispositionRequest } from '../../shared/supervise/disposition';
import type { Principal } from '../auth/principal';
import type { ServerContext } from '../context';
import { custodyRepository } from '../custody/custody-repository';
import { problems } from '../http/problem';
import { jobsRepository } from '../store/jobs-repository';
import { officeKey } from './office-signing-keys';
import { writeTransaction } from '../store/change-log';

/**
 * Records an item's final disposition as the last event of its chain: hashed over the previous
 * event like any other, signed with the recording supervisor's office key, the disposition and
 * its NIST SP 800-88 certificate sealed into the note. An item is disposed of once.
 */
export async function recordDisposition(context: ServerContext, principal: Principal, itemId: string, request: DispositionRequest): Promise<CustodyEvent> {
  return writeTransaction(context.store.db, async (db) => {
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
    const { key, privateKey } = await officeKey(db, context.officeKeys, principal, at, context.orgKey);
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
