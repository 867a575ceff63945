import 'fake-indexeddb/auto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ClientRequirementsAnswer } from '../../shared/api/client-requirements';
import { defaultClientRequirements, requirementsOf } from '../../shared/domain/client-requirements';
import { newId } from '../../shared/ids';
import { ReclaimDatabase } from '../../renderer/db/schema';
import { saveStoredSession } from '../../renderer/db/session-repository';
import { createApiClient } from '../../renderer/sync/api-client';
import { createBlobApi } from '../../renderer/sync/blob-api';
import { BlobQueue } from '../../renderer/sync/blob-queue';
import { SyncEngine } from '../../renderer/sync/engine';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function laptop(username: string) {
  const db = new ReclaimDatabase(`requirements-${newId()}`);
  const login = await server.login(username);
  await saveStoredSession(db, { user: login.user, expiresAt: login.expiresAt, serverUrl: server.url });
  const getToken = async () => login.token;
  const engine = new SyncEngine({ db, api: createApiClient({ baseUrl: server.url, getToken }), blobs: new BlobQueue(db, createBlobApi({ baseUrl: server.url, getToken })) });
  return { db, engine };
}

it('office users set a client\'s requirements, agents may not, and the agent\'s laptop gets them with its jobs', async () => {
  const agent = await laptop('agent1');
  await agent.engine.syncOnce();
  const job = (await agent.db.jobs.toArray())[0];
  if (!job) throw new Error('agent1 has a job');
  expect(requirementsOf(job)).toEqual(defaultClientRequirements);

  const dispatcher = await server.login('dispatcher1');
  const before = ClientRequirementsAnswer.parse((await server.api(`/api/v1/clients/${job.clientId}/requirements`, { token: dispatcher.token })).body);
  expect(before).toMatchObject({ clientId: job.clientId, isDefault: true, requirements: defaultClientRequirements, updatedAt: null });

  const wanted = { serialPlatePhotoPerRecoveredItem: true, customerSignature: true, conditionGradePerRecoveredItem: true, accessoriesChecked: false };
  const agentToken = (await server.login('agent1')).token;
  expect((await server.api(`/api/v1/clients/${job.clientId}/requirements`, { method: 'PUT', token: agentToken, json: wanted })).status).toBe(403);
  expect((await server.api(`/api/v1/clients/${job.clientId}/requirements`, { method: 'PUT', token: dispatcher.token, json: { customerSignature: 'yes' } })).status).toBe(400);
  expect((await server.api(`/api/v1/clients/${newId()}/requirements`, { method: 'PUT', token: dispatcher.token, json: wanted })).status).toBe(404);

  const saved = await server.api(`/api/v1/clients/${job.clientId}/requirements`, { method: 'PUT', token: dispatcher.token, json: wanted });
  expect(saved.status).toBe(200);
  expect(ClientRequirementsAnswer.parse(saved.body)).toMatchObject({ isDefault: false, requirements: wanted });
  expect(ClientRequirementsAnswer.parse((await server.api(`/api/v1/clients/${job.clientId}/requirements`, { token: agentToken })).body).requirements).toEqual(wanted);

  await agent.engine.syncOnce();
  const sameClient = (await agent.db.jobs.toArray()).filter((candidate) => candidate.clientId === job.clientId);
  expect(sameClient.length).toBeGreaterThan(0);
  for (const pulled of sameClient) expect(pulled.clientRequirements).toEqual(wanted);
  const otherClient = (await agent.db.jobs.toArray()).filter((candidate) => candidate.clientId !== job.clientId);
  for (const pulled of otherClient) expect(requirementsOf(pulled)).toEqual(defaultClientRequirements);
});
