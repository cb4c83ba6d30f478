import assert from 'node:assert/strict';
import { Client, type Room } from '@colyseus/sdk';
import type { ColyseusTestServer } from '@colyseus/testing';
import { closeAllDatabases } from '../../src/database/openDatabase.ts';
import { SessionService } from '../../src/sessions/SessionService.ts';
import { CuttableProxy } from '../support/cuttableProxy.ts';
import { request } from '../support/httpClient.ts';
import { bootTestServer, resetTestDatabase, TEST_BASE_URL, testDatabase } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';

// The database unreachable for a while (a TCP proxy in front of the test PostgreSQL, cut and then
// restored): /ready says so, HTTP answers 503 database_unavailable with the error shape, rooms keep
// running from memory, and the readiness changed meanwhile lands in the database once it is back.
// PostgreSQL only: the embedded PGlite runs inside the process and cannot be cut off.

describe('database outage', function () {
  let server: ColyseusTestServer | undefined;
  let proxy: CuttableProxy | undefined;
  const rooms: Room[] = [];

  before(async function () {
    if (process.env.TEST_DATABASE !== 'postgresql') this.skip();
    await resetTestDatabase();
    const target = new URL(process.env.TEST_DATABASE_URL!);
    proxy = await CuttableProxy.start(target.hostname, Number(target.port || 5432));
    target.host = `127.0.0.1:${proxy.port}`;
    server = await bootTestServer({ DATABASE_URL: target.toString(), FLUSH_INTERVAL_MS: '20' });
  });
  after(async function () {
    // Leaving and shutting down wait for the writer, which may be backing off (up to 5 s) after the
    // outage. A connection the cut left hanging can keep a pool from ending: each step is bounded and
    // says so, so that the tests after this one still run (they open databases of their own).
    this.timeout(60_000);
    await within(15_000, 'the clients to leave', Promise.all(rooms.map((room) => room.connection.isOpen && room.leave(true).catch(() => undefined))));
    proxy?.restore();
    await within(15_000, 'the server to shut down', server?.shutdown());
    await within(5_000, 'the proxy to close', proxy?.close());
    await within(15_000, 'the databases to close', closeAllDatabases());
  });

  it('answers 503 while the database is away, keeps rooms playing, and writes what changed once it is back', async function () {
    this.timeout(60_000);
    const sessionId = (await request('POST', '/api/sessions', { json: { size: 4 } })).body.id;
    const sdk = new Client(TEST_BASE_URL);
    const ann = await sdk.joinOrCreate('labyrinth', { sessionId, clientId: 'outage-ann' });
    const bob = await sdk.joinOrCreate('labyrinth', { sessionId, clientId: 'outage-bob' });
    rooms.push(ann, bob);

    proxy!.cut();
    const ready = await waitFor(async () => {
      const response = await request('GET', '/ready');
      return response.status === 503 ? response : undefined;
    }, '/ready to report the database', 15_000);
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
});

/** Waits for `work`, at most `ms`; says what did not finish in time instead of failing the teardown. */
async function within(ms: number, what: string, work: Promise<unknown> | undefined): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  if ((await Promise.race([work, late])) === 'late') console.warn(`      (teardown: ${what} took over ${ms} ms; going on)`);
  clearTimeout(timer);
}
