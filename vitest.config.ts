import pg from 'pg';
import { defineConfig } from 'vitest/config';

const postgresAdminUrl = process.env.RECLAIM_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const unreachableFile = 'tests/integration/postgres-store/postgres-is-unreachable.test.ts';

/** Why the PostgreSQL project cannot run here, or null when the server answers. */
async function postgresUnavailableReason(): Promise<string | null> {
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return `PostgreSQL is not reachable at ${postgresAdminUrl}: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The projects named with --project, or none when the run takes them all. */
const selectedProjects = process.argv.flatMap((arg, i) => {
  if (arg === '--project') return [process.argv[i + 1] ?? ''];
  return arg.startsWith('--project=') ? [arg.slice('--project='.length)] : [];
});
// Probe PostgreSQL only when its project may run, so `vitest run --project unit` never waits on it.
const postgresSelected = selectedProjects.length === 0 || selectedProjects.some((name) => name.includes('postgres'));
const postgresSkipped = postgresSelected ? await postgresUnavailableReason() : 'the integration-postgres project was not selected';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          // PostgreSQL-only files (several instances, commit order) run in integration-postgres.
          exclude: [unreachableFile, 'tests/integration/postgres-*.test.ts', '**/node_modules/**'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The same integration files against PostgreSQL; each server gets a database of its own.
        // Where PostgreSQL does not answer, one skipped test says so and why.
        test: {
          name: 'integration-postgres',
          include: postgresSkipped === null ? ['tests/integration/**/*.test.ts'] : [unreachableFile],
          exclude: postgresSkipped === null ? [unreachableFile, '**/node_modules/**'] : ['**/node_modules/**'],
          environment: 'node',
          env: { RECLAIM_TEST_STORE: 'postgres', RECLAIM_TEST_POSTGRES_URL: postgresAdminUrl, RECLAIM_TEST_POSTGRES_SKIPPED: postgresSkipped ?? '' },
          setupFiles: ['tests/integration/postgres-store/drop-test-databases.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
