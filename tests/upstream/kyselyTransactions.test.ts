import assert from 'node:assert/strict';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';

// Obsolescence test of src/upstream/releaseDeadConnections.ts: Kysely (the query builder under
// MikroORM 7, on node-postgres's pool, as the server runs it on PostgreSQL) still keeps a
// transaction's connection checked out for good when the database cut it mid-transaction, so the
// rollback fails (kysely-org/kysely#1990). Needs the PostgreSQL in TEST_DATABASE_URL.
describe('upstream: kysely transactions on a pg pool', () => {
  const url = process.env.TEST_DATABASE_URL;

  before(function () {
    if (url) return;
    if (process.env.CI) throw new Error('this test needs TEST_DATABASE_URL (CI sets it)');
    this.skip();
  });

  it('still never gives back a connection whose transaction was cut', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    // As MikroORM does (PostgreSqlConnection.handlePoolErrors): a connection's errors are logged, not thrown.
    pool.on('connect', (client) => client.on('error', () => undefined));
    pool.on('error', () => undefined);
    let checkedOut: pg.PoolClient | undefined;
    let released = false;
    pool.on('acquire', (client) => (checkedOut = client));
    pool.on('release', () => (released = true));
    const db = new Kysely<Record<string, never>>({ dialect: new PostgresDialect({ pool }) });
    try {
      const transaction = await db.startTransaction().execute();
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(transaction);
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
      await admin.end();
      await assert.rejects(transaction.rollback().execute());
      // A holder that gives its connection back does so within a turn of the loop once its query fails.
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(released, false, 'Kysely gave the cut connection back to the pool: src/upstream/releaseDeadConnections.ts may go');
      assert.equal(pool.idleCount, 0);
    } finally {
      // What releaseDeadConnections does, so that the pool can end.
      if (!released) checkedOut?.release(new Error('cut by the test'));
      await db.destroy();
    }
  });
});
