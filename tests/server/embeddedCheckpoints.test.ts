import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeAllDatabases, openDatabase } from '../../src/database/openDatabase.ts';
import { createLogger } from '../../src/logger.ts';

// PGlite runs PostgreSQL in single-user mode, with no checkpointer: without the server's periodic
// checkpoints its write-ahead log (DATA_DIR/pg_wal) kept every byte ever written.

const MB = 2 ** 20;
const walBytes = (dataDir: string) => readdirSync(join(dataDir, 'pg_wal')).reduce((sum, name) => sum + statSync(join(dataDir, 'pg_wal', name)).size, 0);

describe('the embedded database', function () {
  this.timeout(120_000);
  let dataDir: string;

  before(function () {
    if (process.env.TEST_DATABASE === 'postgresql') this.skip();
    dataDir = mkdtempSync(join(tmpdir(), 'labyrinth-checkpoints-'));
  });
  after(async () => {
    await closeAllDatabases();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('checkpoints, so its write-ahead log stays a few segments however much is written', async () => {
    const orm = await openDatabase({ dataDir, logger: createLogger('warn'), embeddedCheckpointEveryMs: 200 });
    const connection = orm.em.getConnection();
    const lsn = async () => (await connection.execute<{ lsn: string }[]>(`select pg_current_wal_lsn()::text as lsn`))[0]!.lsn;
    await connection.execute('create table wal_filler (line text)');
    const from = await lsn();
    for (let batch = 0; batch < 10; batch++) {
      await connection.execute(`insert into wal_filler select repeat(md5(random()::text), 30) from generate_series(1, 20000)`);
      await connection.execute('delete from wal_filler');
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const [{ written }] = await connection.execute<[{ written: string }]>(`select pg_wal_lsn_diff(pg_current_wal_lsn(), '${from}')::bigint as written`);
    assert.ok(Number(written) > 150 * MB, `wrote ${Math.round(Number(written) / MB)} MB of WAL`);
    const kept = walBytes(dataDir);
    assert.ok(kept < Number(written) / 2, `pg_wal holds ${Math.round(kept / MB)} MB after ${Math.round(Number(written) / MB)} MB written`);
  });
});
