import { afterAll } from 'vitest';
import { dropTestDatabases } from '../helpers/test-database';

// Databases kept across a restart in one test file (startTestServer with a dataDir) are dropped
// when that file ends, so the PostgreSQL server is left as the suite found it.
afterAll(() => dropTestDatabases());
