import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { MikroORM as PgliteMikroORM } from '@mikro-orm/pglite';
import { MikroORM as PostgreSqlMikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logger.ts';
import { pgliteConfig, postgreSqlConfig, type DatabaseTarget } from './databaseConfig.ts';

export type DatabaseOptions = DatabaseTarget & {
  logger: Logger;
  logQueries?: boolean;
};

/** The one ORM of this process. */
export type Database = MikroORM;

// PGlite holds its whole cluster in this process (a new folder costs an initdb of a few seconds), and
// a data folder must never be opened twice. So each database is opened once per process and shared
// by everything in it (the server, and in tests every server booted in the same process).
const openDatabases = new Map<string, Promise<Database>>();

/** The PostgreSQL advisory lock taken while migrating; any number no other application here uses. */
const MIGRATION_LOCK_KEY = 7_531_594_224;

/**
 * Opens (once per process) the configured database and brings its schema up to date by applying
 * the committed migrations. Never drops anything: data survives restarts.
 */
export function openDatabase(options: DatabaseOptions): Promise<Database> {
  const key = options.databaseUrl ?? `pglite:${resolve(options.dataDir)}`;
  let database = openDatabases.get(key);
  if (!database) {
    database = connectAndMigrate(options);
    openDatabases.set(key, database);
    database.catch(() => openDatabases.delete(key));
  }
  return database;
}

/** Closes every database this process opened; for process shutdown and the end of test runs. */
export async function closeAllDatabases(): Promise<void> {
  const databases = [...openDatabases.values()];
  openDatabases.clear();
  await Promise.allSettled(databases.map(async (database) => (await database).close()));
}

async function connectAndMigrate(options: DatabaseOptions): Promise<Database> {
  const log = options.logger.child({ component: 'database' });
  const extras = { log, logQueries: options.logQueries ?? false };
  const startedAt = performance.now();
  let orm: MikroORM;
  let where: Record<string, string>;
  if (options.databaseUrl) {
    orm = await PostgreSqlMikroORM.init(postgreSqlConfig(options.databaseUrl, extras));
    where = { database: 'postgresql' };
  } else {
    const dataDir = resolve(options.dataDir);
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      // PGlite runs PostgreSQL's initdb in WebAssembly for a new folder: the few seconds of a first start.
      log.info({ dataDir }, 'creating the embedded PGlite database (first start in this folder only: a few seconds)');
    }
    mkdirSync(dataDir, { recursive: true });
    orm = await PgliteMikroORM.init(pgliteConfig(dataDir, extras));
    where = { database: 'pglite', dataDir };
  }
  // The connection opens lazily: the migrator's first query is where PGlite actually starts.
  const applied = options.databaseUrl ? await migrateOneProcessAtATime(orm) : await orm.migrator.up();
  const migrations = applied.map((migration) => migration.name);
  log.info({ ...where, ...(migrations.length > 0 && { migrations }), ms: Math.round(performance.now() - startedAt) }, 'database ready');
  return orm;
}

/**
 * Processes started together (PM2 starts every instance at once) on a fresh PostgreSQL database
 * would each run the migrations and collide on the tables they create. A transaction-scoped advisory
 * lock lets one process migrate while the others wait, and then find nothing left to apply.
 */
async function migrateOneProcessAtATime(orm: MikroORM) {
  const connection = orm.em.getConnection();
  return connection.transactional(async (transaction) => {
    await connection.execute('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY], 'run', transaction);
    return orm.migrator.up({ transaction });
  });
}
