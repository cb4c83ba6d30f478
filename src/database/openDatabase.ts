import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import type { Logger } from '../logger.ts';
import { EMBEDDED_POOL_SIZE, startEmbeddedPostgres, type EmbeddedPostgres } from './embeddedPostgres.ts';
import { ormSettings } from './ormSettings.ts';
import { releaseDeadConnections } from './releaseDeadConnections.ts';

export type DatabaseOptions = {
  /** PostgreSQL connection string; when unset the embedded PGlite database in `dataDir` is used. */
  databaseUrl?: string | undefined;
  dataDir: string;
  logger: Logger;
  logDatabaseQueries?: boolean;
};

/** The one ORM of this process (its PostgreSQL driver, for PGlite too). */
export type Database = MikroORM;

// PGlite holds its whole cluster in this process and re-runs initdb on a fresh folder (~3 s), and a
// data folder must never be opened twice. So each database is opened once per process and shared
// by everything in it (the server, and in tests every server booted in the same process).
const openDatabases = new Map<string, Promise<{ orm: Database; embedded: EmbeddedPostgres | undefined }>>();

/** The PostgreSQL advisory lock taken while migrating; any number no other application here uses. */
const MIGRATION_LOCK_KEY = 7_531_594_224;

/**
 * Opens (once per process) the configured database and brings its schema up to date by applying
 * the committed migrations. Never drops anything: data survives restarts.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const key = options.databaseUrl ?? `pglite:${resolve(options.dataDir)}`;
  let opened = openDatabases.get(key);
  if (!opened) {
    opened = connectAndMigrate(options);
    openDatabases.set(key, opened);
    opened.catch(() => openDatabases.delete(key));
  }
  return (await opened).orm;
}

/** Closes every database this process opened; for process shutdown and the end of test runs. */
export async function closeAllDatabases(): Promise<void> {
  const databases = [...openDatabases.values()];
  openDatabases.clear();
  await Promise.allSettled(
    databases.map(async (opened) => {
      const { orm, embedded } = await opened;
      await orm.close();
      await embedded?.stop();
    }),
  );
}

/**
 * Connects the ORM (its PostgreSQL driver in both cases) to the PostgreSQL server in
 * `databaseUrl`, or to the embedded PGlite database, which runs in a worker thread.
 */
async function connectAndMigrate(options: DatabaseOptions): Promise<{ orm: Database; embedded: EmbeddedPostgres | undefined }> {
  const log = options.logger.child({ component: 'database' });
  const common = {
    ...ormSettings({ log, logQueries: options.logDatabaseQueries ?? false }),
    // Options of the `pg` pool; MikroORM hands it over once created.
    driverOptions: { onPoolCreated: (pool: Pool) => releaseDeadConnections(pool, log) },
  };
  const startedAt = performance.now();
  let embedded: EmbeddedPostgres | undefined;
  let orm: Database;
  if (options.databaseUrl) {
    orm = await MikroORM.init({ ...common, clientUrl: options.databaseUrl });
    log.info({ database: 'postgresql' }, 'connected to PostgreSQL');
  } else {
    const dataDir = resolve(options.dataDir);
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      // PGlite runs PostgreSQL's initdb in WebAssembly for a new folder: the few seconds of a first start.
      log.info({ dataDir }, 'creating the embedded PGlite database (first start in this folder only: a few seconds)');
    }
    mkdirSync(dataDir, { recursive: true });
    embedded = await startEmbeddedPostgres(dataDir, log);
    const { host, port, user, dbName } = embedded;
    orm = await MikroORM.init({ ...common, host, port, user, dbName, pool: { max: EMBEDDED_POOL_SIZE } }).catch(async (error: unknown) => {
      await embedded?.stop();
      throw error;
    });
    log.info({ database: 'pglite', dataDir, ms: Math.round(performance.now() - startedAt) }, 'opened embedded PGlite database');
  }
  // The embedded database serves one process: nothing to wait for (and PGlite runs one transaction at a time).
  const applied = embedded ? await orm.migrator.up() : await migrateOneProcessAtATime(orm);
  if (applied.length > 0) {
    log.info({ migrations: applied.map((migration) => migration.name) }, 'applied migrations');
  }
  return { orm, embedded };
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
