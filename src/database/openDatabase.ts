import { resolve } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import type { Logger } from '../logger.ts';
import { lockDataFolder, unlockDataFolder } from './dataFolderLock.ts';
import { EMBEDDED_POOL_SIZE, startEmbeddedPostgres, type EmbeddedPostgres } from './embeddedPostgres.ts';
import { ormSettings } from './ormSettings.ts';
import { postgresStartFailure } from './postgresStartFailure.ts';
import { releaseDeadConnections } from '../upstream/releaseDeadConnections.ts';

export type DatabaseOptions = {
  /** PostgreSQL connection string; when unset the embedded PGlite database in `dataDir` is used. */
  databaseUrl?: string | undefined;
  dataDir: string;
  logger: Logger;
  logDatabaseQueries?: boolean;
  /** How often the embedded database checkpoints (see EMBEDDED_CHECKPOINT_EVERY_MS); tests shorten it. */
  embeddedCheckpointEveryMs?: number;
  /** PostgreSQL ends a transaction left idle this long (see endIdleTransactions); SESSION_LEASE_MS for the server. */
  idleTransactionTimeoutMs?: number;
};

/**
 * PGlite runs PostgreSQL in single-user mode, which has no checkpointer process: without a
 * checkpoint the write-ahead log is never recycled, and DATA_DIR grew by its whole write volume
 * (pg_wal at 401 MB after 4.5 minutes of 504 bots playing). A checkpoint a minute keeps it at
 * PostgreSQL's usual few segments. It goes through the pool like any query, so it never lands in
 * the middle of a transaction (the embedded pool holds one connection).
 */
const EMBEDDED_CHECKPOINT_EVERY_MS = 60_000;

/** The one ORM of this process (its PostgreSQL driver, for PGlite too). */
export type Database = MikroORM;

// PGlite holds its whole cluster in this process and re-runs initdb on a fresh folder (~3 s), and a
// data folder must never be opened twice. So each database is opened once per process and shared
// by everything in it (the server, and in tests every server booted in the same process).
const openDatabases = new Map<string, Promise<OpenedDatabase>>();

type OpenedDatabase = { orm: Database; embedded: { postgres: EmbeddedPostgres; dataDir: string; checkpoints: NodeJS.Timeout } | undefined };

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
      clearInterval(embedded?.checkpoints);
      await orm.close();
      if (embedded) {
        await embedded.postgres.stop();
        unlockDataFolder(embedded.dataDir);
      }
    }),
  );
}

/**
 * Connects the ORM (its PostgreSQL driver in both cases) to the PostgreSQL server in
 * `databaseUrl`, or to the embedded PGlite database, which runs in a worker thread.
 */
async function connectAndMigrate(options: DatabaseOptions): Promise<OpenedDatabase> {
  const log = options.logger.child({ component: 'database' });
  const common = {
    ...ormSettings({ log, logQueries: options.logDatabaseQueries ?? false }),
    // Options of the `pg` pool; MikroORM hands it over once created.
    driverOptions: {
      onPoolCreated: (pool: Pool) => {
        releaseDeadConnections(pool, log);
        if (options.databaseUrl && options.idleTransactionTimeoutMs) endIdleTransactions(pool, options.idleTransactionTimeoutMs);
      },
    },
  };
  if (options.databaseUrl) {
    const databaseUrl = options.databaseUrl;
    // ensureDatabase off: on connecting, MikroORM would create a missing database (and, without the
    // privilege, fail with "permission denied to create database" instead of saying it is missing).
    const orm = await MikroORM.init({ ...common, clientUrl: databaseUrl, ensureDatabase: false });
    try {
      // MikroORM connects lazily: a query proves the server, the credentials and the database before
      // anything says so, and before the migrator (which checks for the database again, and finds it).
      await orm.em.getConnection().execute('select 1');
      log.info({ database: 'postgresql' }, 'connected to PostgreSQL');
      logApplied(log, await migrateOneProcessAtATime(orm));
      return { orm, embedded: undefined };
    } catch (error) {
      await orm.close(true);
      throw postgresStartFailure(error, databaseUrl) ?? error;
    }
  }
  const startedAt = performance.now();
  const dataDir = resolve(options.dataDir);
  // Before anything reads the folder: another process may have it open.
  lockDataFolder(dataDir);
  let postgres: EmbeddedPostgres | undefined;
  let orm: Database | undefined;
  try {
    postgres = await startEmbeddedPostgres(dataDir, log);
    const { host, port, user, dbName } = postgres;
    orm = await MikroORM.init({ ...common, host, port, user, dbName, pool: { max: EMBEDDED_POOL_SIZE } });
    log.info({ database: 'pglite', dataDir, ms: Math.round(performance.now() - startedAt) }, 'opened embedded PGlite database');
    // The embedded database serves one process: nothing to wait for (and PGlite runs one transaction at a time).
    logApplied(log, await orm.migrator.up());
    const connection = orm.em.getConnection();
    const checkpoints = setInterval(
      () => void connection.execute('checkpoint').catch((error: unknown) => log.warn({ err: error }, 'embedded database checkpoint failed')),
      options.embeddedCheckpointEveryMs ?? EMBEDDED_CHECKPOINT_EVERY_MS,
    ).unref();
    return { orm, embedded: { postgres, dataDir, checkpoints } };
  } catch (error) {
    // Closed before the folder is given up: no other process may open it while this one still does.
    await orm?.close(true);
    await postgres?.stop();
    unlockDataFolder(dataDir);
    throw error;
  }
}

/**
 * A process paused in the middle of a transaction (SIGSTOP, a stopped VM) keeps its row locks until
 * it resumes: a session it owned could not be taken over (the claim locks its row), however long
 * ago its lease ran out. PostgreSQL ends a transaction idle for `ms` (ours run statement after
 * statement, in milliseconds), and with it the locks; the paused process's commit then fails and its
 * writer tries again, fenced. Not for PGlite: one process, nobody to wait for it.
 */
function endIdleTransactions(pool: Pool, ms: number): void {
  pool.on('connect', (client) => void client.query(`set idle_in_transaction_session_timeout = ${Math.round(ms)}`).catch(() => undefined));
}

function logApplied(log: Logger, applied: { name: string }[]): void {
  if (applied.length > 0) {
    log.info({ migrations: applied.map((migration) => migration.name) }, 'applied migrations');
  }
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
