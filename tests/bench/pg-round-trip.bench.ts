/**
 * What one statement's round trip to PostgreSQL costs the Node process, apart from any work the
 * statement does: a named `select $1::int` sent ROUND_TRIPS times in turn through pg, the driver
 * the server uses, with the wall time and this process's CPU time (user and system) per round
 * trip. It says how much of a push's CPU its statement count can explain (README, "What is not
 * met"). RECLAIM_TEST_POSTGRES_URL picks the server, e.g. its Unix socket:
 *   RECLAIM_TEST_POSTGRES_URL=postgres://postgres@%2Fvar%2Frun%2Fpostgresql/postgres npx tsx tests/bench/pg-round-trip.bench.ts
 * Run: npx tsx tests/bench/pg-round-trip.bench.ts. Asserts nothing.
 */
import pg from 'pg';
import { postgresUnavailableReason, testPostgresAdminUrl } from '../integration/helpers/test-database';

const roundTrips = Number(process.env.ROUND_TRIPS ?? 20_000);
const warmUp = 2_000;

async function main(): Promise<void> {
  const unavailable = await postgresUnavailableReason();
  if (unavailable) {
    console.log(`SKIPPED: ${unavailable}`);
    return;
  }
  const client = new pg.Client({ connectionString: testPostgresAdminUrl });
  await client.connect();
  try {
    const ask = (value: number) => client.query({ name: 'round_trip', text: 'select $1::int as value', values: [value] });
    for (let n = 0; n < warmUp; n += 1) await ask(n);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    for (let n = 0; n < roundTrips; n += 1) await ask(n);
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const perTrip = (microseconds: number) => Math.round((microseconds / roundTrips) * 10) / 10;
    console.log(
      JSON.stringify({ case: 'one statement round trip to PostgreSQL', roundTrips, wallUs: perTrip(wallMs * 1000), userCpuUs: perTrip(cpu.user), systemCpuUs: perTrip(cpu.system) }),
    );
  } finally {
    await client.end();
  }
}

await main();
