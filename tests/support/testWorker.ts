// Loaded by mocha (`--require`, tests/run.ts) in every process that runs test files, before them:
// gives this process its worker's port (TEST_PORT, read by testServer.ts) and, in a parallel run, its
// own PostgreSQL database (TEST_DATABASE_URL), so that workers never meet on a port or in a table.
import { workerDatabaseUrl, workerNumber, workerPort } from './testWorkers.ts';

const worker = workerNumber();
process.env.TEST_PORT = String(workerPort(worker));
if (process.env.TEST_DATABASE_URL && process.env.TEST_WORKER_DATABASES === 'true') {
  process.env.TEST_DATABASE_URL = workerDatabaseUrl(process.env.TEST_DATABASE_URL, worker);
}

/**
 * In a parallel worker, before its first test file (mocha runs root hooks before each file; the
 * database is opened once per process): the test database is created and migrated here, with time
 * for it, rather than inside whichever file comes first, whose `before` has 20 s for its own work.
 */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    if (process.env.MOCHA_WORKER_ID === undefined) return;
    this.timeout(120_000);
    const { testDatabase } = await import('./testServer.ts');
    await testDatabase();
  },
};
