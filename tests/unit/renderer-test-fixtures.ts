import 'fake-indexeddb/auto';
import type { Job } from '../../shared/domain/job';
import type { JobStatus } from '../../shared/domain/job-status';
import type { Role } from '../../shared/domain/roles';
import { newId } from '../../shared/ids';
import type { PullResponse } from '../../shared/sync/protocol';
import { saveStoredSession } from '../../renderer/db/session-repository';
import { ReclaimDatabase } from '../../renderer/db/schema';
import { applyPullPage } from '../../renderer/sync/pull-apply';

export const serverTime = '2025-03-04T15:00:00.000Z';

/** A fresh, isolated database per test: fake-indexeddb keeps them apart by name. */
export function freshDatabase(): ReclaimDatabase {
  return new ReclaimDatabase(`reclaim-test-${newId()}`);
}

export async function signInAs(db: ReclaimDatabase, role: Role = 'agent'): Promise<string> {
  const userId = newId();
  await saveStoredSession(db, {
    user: { id: userId, username: `${role}1`, displayName: `Test ${role}`, role },
    expiresAt: '2099-01-01T00:00:00.000Z',
    serverUrl: 'http://127.0.0.1:8787',
  });
  return userId;
}

export function makeJob(overrides: Partial<Job> & { customerName?: string; serial?: string; line1?: string } = {}): Job {
  const { customerName, serial, line1, ...rest } = overrides;
  return {
    id: newId(),
    clientId: newId(),
    clientName: 'Lakeshore Cable',
    accountRef: 'LC-100234',
    customer: { name: customerName ?? 'Maria Gonzalez', phones: ['+1 312 555 0101'], email: null },
    address: {
      line1: line1 ?? '2150 N Milwaukee Ave',
      line2: null,
      city: 'Chicago',
      region: 'IL',
      postalCode: '60647',
      country: 'US',
      lat: 41.9205,
      lon: -87.6966,
    },
    timeZone: 'America/Chicago',
    dueDate: '2025-03-05',
    priority: 'normal',
    appointment: null,
    instructions: null,
    items: [
      { id: newId(), type: 'modem', make: 'Arris', model: 'SB8200', serial: serial ?? 'ARS-5521-XK', assetTag: 'LC-A-0091' },
    ],
    status: 'assigned' as JobStatus,
    assignedAgentId: newId(),
    reviewReason: null,
    createdAt: '2025-03-01T12:00:00.000Z',
    updatedAt: '2025-03-01T12:00:00.000Z',
    version: 1,
    ...rest,
  };
}

let seq = 0;
export function jobPage(jobs: Job[], options: { hasMore?: boolean; cursor?: string } = {}): PullResponse {
  return {
    changes: jobs.map((job) => ({ seq: String(++seq), entity: 'job' as const, op: 'upsert' as const, data: job })),
    cursor: options.cursor ?? String(seq),
    hasMore: options.hasMore ?? false,
    serverTime,
  };
}

/** Puts jobs on the device the way sync does. */
export async function seedJobs(db: ReclaimDatabase, jobs: Job[]): Promise<void> {
  await applyPullPage(db, jobPage(jobs));
}
