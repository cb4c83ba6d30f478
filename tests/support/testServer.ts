import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from '@colyseus/core';
import { ColyseusTestServer } from '@colyseus/testing';
import { createAppServer } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { closeAllDatabases, openDatabase, type Database } from '../../src/database/openDatabase.ts';
import { createLogger } from '../../src/logger.ts';
import type { Room } from '@colyseus/sdk';
import { labyrinthClient } from './labyrinthClient.ts';

/** The admin password every test server uses. */
export const TEST_ADMIN_PASSWORD = 'test-admin-password';

/** Rate limits and caps no ordinary test reaches. */
export const GENEROUS_LIMITS = {
  SESSION_CREATES_PER_MINUTE: '100000',
  PREVIEWS_PER_MINUTE: '100000',
  JOINS_PER_MINUTE: '100000',
  MAX_SOCKETS_PER_ADDRESS: '10000',
  ADMIN_LOGIN_FAILURES: '100000',
};

/**
 * Where this test process's server listens: 2568, or the first port of this worker's block in a
 * parallel run (tests/support/testWorker.ts sets TEST_PORT). Tests that start server processes of
 * their own put them on the next ports of the block (`TEST_PORT + n`, n < 100).
 */
export const TEST_PORT = Number(process.env.TEST_PORT ?? 2568);
export const TEST_BASE_URL = `http://localhost:${TEST_PORT}`;
export const TEST_WS_URL = `ws://localhost:${TEST_PORT}`;

// One PGlite folder per test process: the database is opened once and shared by every server the
// process boots, as in production (see openDatabase).
let pgliteDataDir: string | undefined;

/**
 * Configuration for the database this test run targets: PGlite in a fresh temporary folder, or the
 * PostgreSQL in TEST_DATABASE_URL when TEST_DATABASE=postgresql (see tests/run.ts).
 */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const usePostgres = process.env.TEST_DATABASE === 'postgresql';
  if (usePostgres && !process.env.TEST_DATABASE_URL) {
    throw new Error('TEST_DATABASE=postgresql needs TEST_DATABASE_URL');
  }
  pgliteDataDir ??= mkdtempSync(join(tmpdir(), 'labyrinth-pglite-'));
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    DATA_DIR: pgliteDataDir,
    // The test process runs the server and its clients on one event loop, on a shared machine: only
    // the overload tests (which set their own) should see a server refuse joins for being late.
    OVERLOAD_DELAY_MS: '10000',
    // Test files create sessions and join far faster than a person: only the tests of the limits
    // (which set their own) should meet them.
    ...GENEROUS_LIMITS,
    ...(usePostgres ? { DATABASE_URL: process.env.TEST_DATABASE_URL } : {}),
    ...overrides,
  });
}

/** Boots the production wiring on TEST_PORT against the test database. */
export async function bootTestServer(overrides: Record<string, string> = {}): Promise<ColyseusTestServer> {
  const config = testConfig(overrides);
  return listenForTests(await createAppServer({ config, logger: createLogger(config.server.logLevel), handleSignals: false }));
}

/**
 * A server listening on TEST_PORT, driven as @colyseus/testing drives one. Its `boot(server, port)`
 * listens on 2568 whatever port it is given when handed a server rather than a configuration.
 */
export async function listenForTests(server: Server): Promise<ColyseusTestServer> {
  await server.listen(TEST_PORT);
  return new ColyseusTestServer(server);
}

/**
 * Forgets every session, claimed clientId and ban, so each test starts from an empty database and
 * test files can reuse client names (the PostgreSQL test database outlives a run).
 */
export async function resetTestDatabase(): Promise<void> {
  const connection = (await testDatabase()).em.getConnection();
  await connection.execute('delete from "labyrinth"');
  await connection.execute('delete from "client_identity"');
  await connection.execute('delete from "player_ban"');
}

/** The database the test server uses (the same once-per-process instance). */
export async function testDatabase(): Promise<Database> {
  const config = testConfig();
  return openDatabase({ ...config.database, logger: createLogger('silent') });
}

/** Rows in a table, read straight from the database the test server uses. */
export async function countRows(table: 'labyrinth' | 'tile'): Promise<number> {
  const [row] = await (await testDatabase()).em.getConnection().execute<{ count: number }[]>(`select count(*)::int as count from "${table}"`);
  return row?.count ?? -1;
}

/**
 * Leaves (consented) every room in `rooms` still open, and empties the list, so the next test starts
 * with no seat taken. A room already closed by the test, or closing meanwhile, is no error.
 */
export async function leaveOpenRooms(rooms: Room[]): Promise<void> {
  await Promise.all(
    rooms
      .splice(0)
      .filter((room) => room.connection.isOpen)
      .map((room) => room.leave(true).catch(() => undefined)),
  );
}

/**
 * The server most room test files share: booted once on an empty database before the file's
 * tests and shut down after them; after each test the rooms it opened (pushed to `openRooms`) are
 * left and the database emptied. Call it in the file's `describe`, where it registers its hooks.
 */
export function roomTestServer(settings: Record<string, string> = {}) {
  const openRooms: Room[] = [];
  let server: ColyseusTestServer | undefined;
  before(async () => {
    await resetTestDatabase();
    server = await bootTestServer(settings);
  });
  after(async () => {
    await server?.shutdown();
  });
  afterEach(async () => {
    await leaveOpenRooms(openRooms);
    await resetTestDatabase();
  });
  return {
    sdk: labyrinthClient(TEST_BASE_URL),
    openRooms,
    /** A server restart: shut down, databases closed, booted again on the same database. */
    restart: async (): Promise<void> => {
      await server?.shutdown();
      await closeAllDatabases();
      server = await bootTestServer(settings);
    },
  };
}
