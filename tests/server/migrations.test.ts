import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { cliOrmConfig } from '../../src/database/cliOrmConfig.ts';
import { projectRoot } from '../../src/projectRoot.ts';
import { testDatabase } from '../support/testServer.ts';

// The migrations (src/database/migrations/, SQL written by hand or by `npm run migration:create`)
// and the entities (src/database/entities/) must describe the same schema. Run on PGlite and on
// PostgreSQL (tests/run.ts runs tests/server/ on both).

describe('migrations', function () {
  this.timeout(60_000);
  let scratch: string;

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'labyrinth-migrations-'));
  });
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('build exactly the schema the entities describe', async () => {
    // The test database was created by applying every committed migration (openDatabase).
    const diff = await (await testDatabase()).schema.getUpdateSchemaMigrationSQL({ wrap: false });
    assert.equal(diff.up.trim(), '', `the entities and the migrations differ; \`npm run migration:create\` writes a migration for:\n${diff.up}`);
  });

  it('are every Migration file of src/database/migrations, applied in name order with no list to keep', async () => {
    const files = readdirSync(join(projectRoot, 'src', 'database', 'migrations'))
      .filter((file) => file.startsWith('Migration'))
      .map((file) => file.replace(/\.ts$/, ''))
      .sort();
    assert.ok(files.length >= 6, `found ${files.length} migration files`);
    const executed = await (await testDatabase()).migrator.getExecuted();
    assert.deepEqual(
      executed.map((migration) => migration.name),
      files,
    );
  });

  it('are found out when they lack what an entity has', async () => {
    // A scratch embedded database, opened as the MikroORM CLI opens one.
    const orm = await MikroORM.init(cliOrmConfig({ dataDir: join(scratch, 'pglite') }));
    try {
      await orm.migrator.up();
      await orm.em.getConnection().execute('alter table "tile" drop column "revealed"');
      assert.equal(await orm.migrator.checkSchema(), true);
      const diff = await orm.schema.getUpdateSchemaMigrationSQL({ wrap: false });
      assert.match(diff.up, /alter table "tile" add "revealed" boolean not null default false/);
    } finally {
      await orm.close();
    }
  });

  it('are checked by `npm run migration:check` with the MikroORM CLI configuration', () => {
    const database = process.env.TEST_DATABASE === 'postgresql' ? { DATABASE_URL: process.env.TEST_DATABASE_URL! } : { DATA_DIR: join(scratch, 'cli-pglite') };
    const result = spawnSync('npm', ['run', '--silent', 'migration:check'], {
      cwd: projectRoot,
      env: { ...process.env, ...database, NODE_ENV: 'test' },
      encoding: 'utf8',
    });
    const output = `${result.stdout}${result.stderr}`;
    assert.equal(result.status, 0, output);
    assert.match(output, /No changes required, schema is up-to-date/);
  });
});
