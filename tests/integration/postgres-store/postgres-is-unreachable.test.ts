import { expect, test } from 'vitest';

// The "integration-postgres" project runs only this file when PostgreSQL does not answer (see
// vitest.config.ts), so the run shows the whole suite as skipped and says why, never silently.
// CI, which always has PostgreSQL, sets RECLAIM_REQUIRE_POSTGRES=1 to turn the skip into a failure.
const reason = process.env.RECLAIM_TEST_POSTGRES_SKIPPED || 'PostgreSQL is not reachable';
const required = process.env.RECLAIM_REQUIRE_POSTGRES === '1';
process.stderr.write(`\n[integration-postgres] ${required ? 'FAILED' : 'SKIPPED'}: the integration suite did not run on PostgreSQL. ${reason}\n\n`);

test.skipIf(!required)(`the integration suite on PostgreSQL did not run: ${reason}`, () => {
  expect.fail(`RECLAIM_REQUIRE_POSTGRES=1 but ${reason}`);
});
