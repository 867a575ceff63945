import { createHash, webcrypto } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { toBase64Url, type CryptoKeyHandle } from '../../shared/custody/crypto-port';
import { CUSTODY_SCHEME, type CustodyEventContent, type CustodyEventKind, type CustodyParty, type DeviceKey } from '../../shared/custody/custody-event';
import { sealCustodyEvent } from '../../shared/custody/custody-hash';
import type { Job } from '../../shared/domain/job';
import type { ServerContext } from '../context';
import { custodyRepository } from '../custody/custody-repository';
import { createJob } from '../jobs/dispatch';
import type { Database } from '../store/schema';
import { chicagoAddress } from './chicago-grid';
import { CHICAGO, chicagoDate } from './chicago-time';
import { demoClients, demoCustomer, expectedItems, type DemoClientKey } from './demo-catalogue';
import { demoSignaturePng } from './demo-signature';
import { SeededRandom } from './seeded-random';

const HISTORY_SEED = 0x5eed_4157;
export const HISTORY_JOB_COUNT = 24;
const HISTORY_DAYS = 28;
const DAY_MS = 86_400_000;
const warehouseClerks = ['Wes Okafor', 'Rita Nowak', 'Sam Delgado'] as const;

/** PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): a fixed seed gives the demo fixed keys. */
function pkcs8Ed25519(seed: Uint8Array): Uint8Array<ArrayBuffer> {
  const prefix = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
  return Uint8Array.from([...prefix, ...seed]);
}

interface DemoDevice {
  readonly key: DeviceKey;
  readonly privateKey: CryptoKeyHandle;
}

async function demoDevice(random: SeededRandom, userId: string, username: string, id: string, createdAt: string): Promise<DemoDevice> {
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8Ed25519(random.bytes(32)), { name: 'Ed25519' }, true, ['sign']);
  const jwk = await webcrypto.subtle.exportKey('jwk', privateKey);
  // The public half of a JWK private key is its "x" member (RFC 8037), already base64url.
  const publicKey = jwk.x ?? toBase64Url(new Uint8Array(0));
  return { key: { id, deviceId: `${username}-demo-laptop`, userId, algorithm: 'Ed25519', publicKey, createdAt }, privateKey };
}

export interface HistoryInput {
  readonly db: Kysely<Database>;
  readonly context: ServerContext;
  readonly seededAt: Date;
  readonly newDemoId: () => string;
  readonly dispatcherId: string;
  readonly clientIds: Record<DemoClientKey, string>;
  readonly agents: readonly { readonly id: string; readonly username: string; readonly displayName: string }[];
}

/**
 * A few weeks of finished work: closed jobs whose items were collected at the door and received
 * at the warehouse, each a signed custody chain that verifies, with signature images in the blob
 * store. Jobs are created unassigned and closed directly, so no agent's laptop ever receives them;
 * who worked each one is in its assignment history (job_assignments), as for a job handed back
 * to the office when it closed.
 */
export async function seedDemoHistory(input: HistoryInput): Promise<void> {
  const { db, context, seededAt, newDemoId } = input;
  const random = new SeededRandom(HISTORY_SEED);
  const custody = custodyRepository(db);
  const blobs = context.blobs;
  const keyCreatedAt = new Date(seededAt.getTime() - (HISTORY_DAYS + 7) * DAY_MS).toISOString();
  const devices = new Map<string, DemoDevice>();
  for (const agent of input.agents) {
    const device = await demoDevice(random, agent.id, agent.username, newDemoId(), keyCreatedAt);
    await custody.addDeviceKey(device.key, keyCreatedAt);
    devices.set(agent.id, device);
  }
  const storeSignature = async (): Promise<string> => {
    const png = demoSignaturePng(random);
    const hash = createHash('sha256').update(png).digest('hex');
    await blobs.put(hash, Readable.from([png]));
    return hash;
  };

  const clientKeys: readonly DemoClientKey[] = ['telecom', 'telecom', 'lessor', 'medical'];
  for (let index = 0; index < HISTORY_JOB_COUNT; index += 1) {
    const agent = input.agents[index % input.agents.length];
    const device = agent ? devices.get(agent.id) : undefined;
    if (!agent || !device) continue;
    const client = random.pick(clientKeys);
    const daysAgo = Math.round(((HISTORY_JOB_COUNT - index) / HISTORY_JOB_COUNT) * HISTORY_DAYS);
    const assignedAt = new Date(seededAt.getTime() - (daysAgo + random.int(1, 6)) * DAY_MS);
    const collectedAt = new Date(seededAt.getTime() - daysAgo * DAY_MS);
    // 15:00–22:00 UTC is 09:00–17:00 in Chicago most of the year.
    collectedAt.setUTCHours(random.int(15, 21), random.int(0, 59), 0, 0);
    const job: Job = await createJob(
      { db, userId: input.dispatcherId, at: assignedAt.toISOString(), clock: context.clock },
      {
        id: newDemoId(),
        clientId: input.clientIds[client],
        clientName: demoClients[client].name,
        accountRef: demoClients[client].accountRef(random),
        customer: demoCustomer(random, client),
        address: chicagoAddress(random),
        timeZone: CHICAGO,
        dueDate: chicagoDate(assignedAt, 7),
        priority: 'normal',
        appointment: null,
        instructions: null,
        items: expectedItems(random, client, newDemoId),
        assignedAgentId: null,
      },
    );
    const closedAt = new Date(collectedAt.getTime() + 26 * 3_600_000).toISOString();
    await db.updateTable('jobs').set({ status: 'closed', updated_at: closedAt }).where('id', '=', job.id).execute();
    await db.insertInto('job_assignments').values({ id: newDemoId(), job_id: job.id, agent_id: agent.id, previous_agent_id: null, at: assignedAt.toISOString(), by_user_id: input.dispatcherId }).execute();

    // Now and then one item could not be found: the recovery rate is not a flat 100%.
    const recovered = job.items.length > 1 && random.chance(0.25) ? job.items.slice(0, -1) : job.items;
    const items = recovered.map((item) => ({ itemId: item.id, serial: item.serial }));
    const place = job.address.lat !== null && job.address.lon !== null ? { lat: job.address.lat, lon: job.address.lon, accuracyM: random.int(5, 30) } : null;
    const agentParty: CustodyParty = { role: 'agent', name: agent.displayName, userId: agent.id };
    const heads = new Map<string, string>();
    const record = async (kind: CustodyEventKind, at: Date, from: CustodyParty, to: CustodyParty, extra: Partial<CustodyEventContent>) => {
      const content: CustodyEventContent = {
        scheme: CUSTODY_SCHEME, id: newDemoId(), jobId: job.id, kind, at: at.toISOString(), place, from, to,
        items: items.map((item) => ({ ...item, previousEventHash: heads.get(item.itemId) ?? null })),
        sealNumber: null, photoHashes: [], signatureHashes: [], correctsEventId: null, note: '',
        deviceId: device.key.deviceId, deviceKeyId: device.key.id, recordedByUserId: agent.id, ...extra,
      };
      const event = await sealCustodyEvent(webcrypto.subtle, device.privateKey, content);
      await custody.append(event, context.clock.now(), at.toISOString());
      for (const item of items) heads.set(item.itemId, event.hash);
    };
    await record('collected', collectedAt, { role: 'customer', name: job.customer.name, userId: null }, agentParty, { signatureHashes: [await storeSignature()] });
    const sealed = random.chance(0.4);
    if (sealed) await record('sealed', new Date(collectedAt.getTime() + 10 * 60_000), agentParty, agentParty, { sealNumber: `SL-${random.digits(6)}` });
    const warehouse = { lat: 41.8625, lon: -87.6846, accuracyM: 10 };
    const clerk = random.pick(warehouseClerks);
    await record('received', new Date(collectedAt.getTime() + random.int(1, 5) * 3_600_000), agentParty, { role: 'warehouse', name: clerk, userId: null }, { place: warehouse, signatureHashes: [await storeSignature()] });
  }
}
