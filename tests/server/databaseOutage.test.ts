import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import { closeAllDatabases, openDatabase } from '../../src/database/openDatabase.ts';
import { createLogger } from '../../src/logger.ts';
import { SessionService } from '../../src/sessions/SessionService.ts';
import { CuttableProxy } from '../support/cuttableProxy.ts';
import { request } from '../support/httpClient.ts';
import { bootTestServer, leaveOpenRooms, resetTestDatabase, TEST_BASE_URL, testDatabase } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';
import { labyrinthClient, type LabyrinthRoom } from '../support/labyrinthClient.ts';

// The database unreachable for a while (a TCP proxy in front of the test PostgreSQL, cut and then
// restored): /ready says so, HTTP answers 503 database_unavailable with the error shape, rooms keep
// running from memory, and the readiness changed meanwhile lands in the database once it is back.
// PostgreSQL only: the embedded PGlite runs inside the process and cannot be cut off.

/** The size of a PostgreSQL pool this server opens (MikroORM's default). */
const POOL_SIZE = 10;

describe('database outage', function () {
  let server: ColyseusTestServer | undefined;
  let proxy: CuttableProxy | undefined;
  let proxiedUrl: string | undefined;
  const rooms: LabyrinthRoom[] = [];

  before(async function () {
    if (process.env.TEST_DATABASE !== 'postgresql') this.skip();
    await resetTestDatabase();
    proxy = await proxyToTestDatabase();
    proxiedUrl = urlThrough(proxy);
    server = await bootTestServer({ DATABASE_URL: proxiedUrl, FLUSH_INTERVAL_MS: '20' });
  });
  after(async function () {
    // Leaving and shutting down wait for the writer, which may be backing off (up to 5 s) after the
    // outage. Each step is bounded and says what it still waited for, so that a hang here (as when
    // cut transactions kept their connections) is reported and the tests after this one still run.
    this.timeout(60_000);
    await within(15_000, 'the clients to leave', leaveOpenRooms(rooms));
    proxy?.restore();
    await within(15_000, 'the server to shut down', server?.shutdown());
    await within(5_000, 'the proxy to close', proxy?.close());
    // Only once this test opened its databases (never on PGlite, where it is skipped).
    const pools = proxiedUrl ? await poolCounts({ direct: process.env.TEST_DATABASE_URL, 'through the proxy': proxiedUrl }) : undefined;
    await within(15_000, 'the databases to close', closeAllDatabases(), pools);
  });

  it('answers 503 while the database is away, keeps rooms playing, and writes what changed once it is back', async function () {
    this.timeout(60_000);
    const sessionId = (await request('POST', '/api/sessions', { json: { size: 4 } })).body.id;
    const sdk = labyrinthClient(TEST_BASE_URL);
    const ann = await sdk.joinOrCreate('labyrinth', { sessionId, clientId: 'outage-ann' });
    const bob = await sdk.joinOrCreate('labyrinth', { sessionId, clientId: 'outage-bob' });
    rooms.push(ann, bob);

    proxy!.cut();
    const ready = await waitFor(
      async () => {
        const response = await request('GET', '/ready');
        return response.status === 503 ? response : undefined;
      },
      '/ready to report the database',
      15_000,
    );
    assert.equal(ready.body.database.ok, false);
    for (const path of [`/api/sessions/${sessionId}`, '/api/sessions', `/api/game_sessions/${sessionId}/clients`]) {
      const response = await request('GET', path);
      assert.equal(response.status, 503, `${path}: ${JSON.stringify(response.body)}`);
      assert.equal(response.body.error.code, 'database_unavailable');
      assert.ok(Number(response.headers.get('retry-after')) > 0);
    }
    const create = await request('POST', '/api/sessions', { json: { size: 4 } });
    assert.equal(create.status, 503);

    // The room plays on from memory: readiness changes reach the other player.
    ann.send('ready', { ready: true });
    await waitFor(() => bob.state.players.get('outage-ann')?.ready === true, "bob sees ann's readiness");
    bob.send('ready', { ready: true });
    ann.send('ready', { ready: false });
    await waitFor(() => ann.state.players.get('outage-bob')?.ready === true && ann.state.players.get('outage-ann')?.ready === false, 'both changes');

    proxy!.restore();
    await waitFor(async () => (await request('GET', '/ready')).status === 200, '/ready once the database is back', 20_000);
    assert.equal((await request('GET', `/api/sessions/${sessionId}`)).status, 200);
    // The writes queued meanwhile land, in order: the last readiness of each player wins.
    const stored = await waitFor(
      async () => {
        const snapshot = await new SessionService(await testDatabase()).loadSnapshot(sessionId);
        const readiness = Object.fromEntries(snapshot.players.map((player) => [player.clientId, player.ready]));
        return readiness['outage-bob'] === true && readiness['outage-ann'] === false ? readiness : undefined;
      },
      'the queued writes to land',
      20_000,
    );
    assert.deepEqual(stored, { 'outage-ann': false, 'outage-bob': true });
  });

  it('takes back the connections of transactions the outage cut, so more of them than the pool holds cannot stall it', async function () {
    // Without the fix, the transaction after the pool's last connection waits for ever.
    this.timeout(30_000);
    // A pool of its own behind a proxy of its own, opened the way the server opens its database.
    const cutter = await proxyToTestDatabase();
    const database = await openDatabase({ databaseUrl: urlThrough(cutter), dataDir: '', logger: createLogger('silent') });
    try {
      const pool = await database.em.getConnection().getNativeClient();
      // Each transaction loses its connection half-way, so its rollback fails as well.
      for (let cut = 0; cut < POOL_SIZE + 2; cut++) {
        const transaction = database.em.fork().transactional(async (em) => {
          await em.execute('select 1');
          cutter.cut();
          await em.execute('select 1');
        });
        await assert.rejects(transaction);
        cutter.restore();
      }
      // Every pooled connection was lost; each is taken back, and the database answers again.
      const [row] = await waitFor(() => database.em.fork().execute<{ answer: number }[]>('select 42 as answer'), 'an answer once back', 15_000);
      assert.equal(row?.answer, 42);
      await waitFor(() => pool.totalCount === pool.idleCount && pool.totalCount, 'no connection left checked out', 15_000);
    } finally {
      await within(10_000, 'the cut pool to close', database.close());
      await cutter.close();
    }
  });
});

/**
 * Waits for `work`, at most `ms`; says what did not finish in time (and `state()`, what may hold it
 * up) instead of failing the teardown.
 */
async function within(ms: number, what: string, work: Promise<unknown> | undefined, state?: () => string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  if ((await Promise.race([work, late])) === 'late') console.warn(`      (teardown: ${what} took over ${ms} ms; going on${state ? `: ${state()}` : ''})`);
  clearTimeout(timer);
}

function proxyToTestDatabase(): Promise<CuttableProxy> {
  const target = new URL(process.env.TEST_DATABASE_URL!);
  return CuttableProxy.start(target.hostname, Number(target.port || 5432));
}

/** The test database's URL, reached through `proxy`. */
function urlThrough(proxy: CuttableProxy): string {
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.host = `127.0.0.1:${proxy.port}`;
  return url.toString();
}

/** Reads, when called, how many connections each database's pool holds, idle or checked out. */
async function poolCounts(urls: Record<string, string | undefined>): Promise<() => string> {
  const pools = await Promise.all(
    Object.entries(urls)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(async ([name, url]) => {
        const database = await openDatabase({ databaseUrl: url, dataDir: '', logger: createLogger('silent') });
        return [name, await database.em.getConnection().getNativeClient()] as const;
      }),
  );
  return () => pools.map(([name, pool]) => `${name}: ${pool.totalCount} connections, ${pool.idleCount} idle, ${pool.waitingCount} waiting`).join('; ');
}
