import { v7 } from 'uuid';
import type { Priority } from '../../shared/domain/job';
import { hashPassword } from '../auth/password';
import type { ServerContext } from '../context';
import { createJob } from '../jobs/dispatch';
import { usersRepository } from '../store/users-repository';
import { chicagoAddress } from './chicago-grid';
import { CHICAGO, chicagoDate, chicagoLocalTime } from './chicago-time';
import { demoClients, demoCustomer, demoStaff, DEMO_PASSWORD, doorInstructions, expectedItems, type DemoClientKey } from './demo-catalogue';
import { seedDemoHistory } from './demo-history';
import { SeededRandom } from './seeded-random';

const DEMO_SEED = 0x5eed_2024;
const JOB_COUNT = 40;

/** Who gets each job: most go to agent1 and agent2, a few to agent3, a few wait unassigned. */
function assigneeFor(index: number): 'agent1' | 'agent2' | 'agent3' | null {
  if (index % 8 === 7) return null;
  if (index % 8 === 6) return 'agent3';
  return index % 2 === 0 ? 'agent1' : 'agent2';
}

function priorityFor(random: SeededRandom): Priority {
  const roll = random.next();
  if (roll < 0.1) return 'low';
  if (roll < 0.7) return 'normal';
  if (roll < 0.92) return 'high';
  return 'urgent';
}

/**
 * Seeds the demo organisation (staff, three clients, ~40 Chicago jobs, and a few weeks of closed
 * jobs with signed custody chains: see demo-history.ts) when the database has no
 * users yet, so restarting with --demo never duplicates it. Content comes from a seeded PRNG;
 * dates are relative to today so the demo always has work due.
 */
export async function seedDemoOrganisation(context: ServerContext): Promise<boolean> {
  const { db } = context.store;
  if ((await usersRepository(db).count()) > 0) return false;

  const random = new SeededRandom(DEMO_SEED);
  const seededAt = context.now();
  const newDemoId = () => v7({ msecs: seededAt.getTime(), random: random.bytes(16) });
  const at = seededAt.toISOString();
  const staff = await Promise.all(
    demoStaff.map(async (member) => ({ ...member, id: newDemoId(), passwordHash: await hashPassword(DEMO_PASSWORD) })),
  );
  const idOf = (username: string) => staff.find((member) => member.username === username)?.id ?? null;
  const clientIds: Record<DemoClientKey, string> = { telecom: newDemoId(), lessor: newDemoId(), medical: newDemoId() };
  const dispatcherId = idOf('dispatcher1');
  if (dispatcherId === null) throw new Error('the demo needs a dispatcher');

  await db.transaction().execute(async (trx) => {
    const users = usersRepository(trx);
    for (const member of staff) {
      await users.enrol({ id: member.id, username: member.username, displayName: member.displayName, role: member.role, passwordHash: member.passwordHash, createdAt: at });
    }
    const clientKeys: readonly DemoClientKey[] = ['telecom', 'telecom', 'telecom', 'lessor', 'lessor', 'medical'];
    for (let index = 0; index < JOB_COUNT; index += 1) {
      const client = random.pick(clientKeys);
      const dueDate = chicagoDate(seededAt, random.int(-3, 10));
      const startHour = random.int(9, 16);
      await createJob(
        { db: trx, userId: dispatcherId, at, clock: context.clock },
        {
          id: newDemoId(),
          clientId: clientIds[client],
          clientName: demoClients[client].name,
          accountRef: demoClients[client].accountRef(random),
          customer: demoCustomer(random, client),
          address: chicagoAddress(random),
          timeZone: CHICAGO,
          dueDate,
          priority: priorityFor(random),
          appointment: index % 3 === 0 ? { start: chicagoLocalTime(dueDate, startHour), end: chicagoLocalTime(dueDate, startHour + 2) } : null,
          instructions: random.chance(0.4) ? random.pick(doorInstructions) : null,
          items: expectedItems(random, client, newDemoId),
          assignedAgentId: idOf(assigneeFor(index) ?? ''),
        },
      );
    }
    const agents = staff.filter((member) => member.role === 'agent').map(({ id, username, displayName }) => ({ id, username, displayName }));
    await seedDemoHistory({ db: trx, context, seededAt, newDemoId, dispatcherId, clientIds, agents });
  });
  return true;
}

/** Whether every demo account exists, so the demo sign-ins printed by `npm start` would work. */
export async function demoStaffPresent(db: ServerContext['store']['db']): Promise<boolean> {
  const users = usersRepository(db);
  const found = await Promise.all(demoStaff.map((member) => users.findByUsername(member.username)));
  return found.every((user) => user !== undefined);
}
