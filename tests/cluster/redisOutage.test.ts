import assert from 'node:assert/strict';
import { Client, type Room } from '@colyseus/sdk';
import { Redis } from 'ioredis';
import { closeAllDatabases } from '../../src/database/openDatabase.ts';
import { SessionService } from '../../src/sessions/SessionService.ts';
import { CuttableProxy } from '../support/cuttableProxy.ts';
import { httpTo, killServerProcesses, startServerProcess, type ServerProcess } from '../support/serverProcess.ts';
import { resetTestDatabase, testDatabase } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';

// docs/security.md, "Redis gone with several processes": two server processes reach the shared
// Redis through a proxy the test cuts (every connection dropped, new ones refused, as when Redis
// stops), under a live room, then restores.

const PORTS = [2622, 2623] as const;
/** ioredis retries with a growing delay (up to 2 s): how long the processes get to come back. */
const RECOVERY_BOUND_MS = 15_000;

type PlayerView = { ready: boolean; connected: boolean };
type StateView = { players: Map<string, PlayerView> };

describe('a Redis outage under two server processes', function () {
  this.timeout(90_000);
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const redisUrl = process.env.TEST_REDIS_URL;
  let proxy: CuttableProxy;
  let processes: ServerProcess[] = [];
  const rooms: Room[] = [];

  before(async () => {
    if (!databaseUrl || !redisUrl || process.env.TEST_DATABASE !== 'postgresql') {
      throw new Error('this test needs TEST_DATABASE_URL and TEST_REDIS_URL; run it with `npm test` (tests/run.ts)');
    }
    const redis = new Redis(redisUrl);
    await redis.flushdb();
    redis.disconnect();
    await resetTestDatabase();
    const { hostname, port } = new URL(redisUrl);
    proxy = await CuttableProxy.start(hostname, Number(port || 6379));
    const environment = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
      PUBLIC_ADDRESS: '127.0.0.1:{port}',
      // No round starts here, even with every seated player ready.
      COUNTDOWN_SECONDS: '30',
    };
    processes = await Promise.all(PORTS.map((port) => startServerProcess(port, environment)));
  });

  after(async () => {
    for (const room of rooms) {
      room.reconnection.enabled = false;
      room.removeAllListeners();
      room.connection.close();
    }
    await killServerProcesses();
    await proxy?.close();
    await closeAllDatabases();
  });

  afterEach(function () {
    if (this.currentTest?.state !== 'failed') return;
    for (const server of processes) console.error(`--- output of the server on port ${server.port} ---\n${server.output()}`);
  });

  async function join(server: ServerProcess, sessionId: string, clientId: string): Promise<Room> {
    const room = await new Client(server.url).joinOrCreate('labyrinth', { sessionId, clientId });
    rooms.push(room);
    room.onMessage('error', () => undefined);
    return room;
  }

  const playerIn = (room: Room, clientId: string) => (room.state as StateView).players?.get(clientId);

  async function roomsRunningIn(server: ServerProcess): Promise<number> {
    const metrics = await httpTo(server, 'GET', '/metrics');
    return Number(/^labyrinth_rooms (\d+)$/m.exec(String(metrics.body))?.[1]);
  }

  it('keeps the room playing and writing, reports 503 naming Redis on both processes, and recovers without a restart', async () => {
    const [processA, processB] = processes as [ServerProcess, ServerProcess];
    const sessionId = (await httpTo(processA, 'POST', '/api/sessions', { size: 6 })).body.id as string;
    const alice = await join(processA, sessionId, 'alice');
    const [holder, other] = (await roomsRunningIn(processA)) === 1 ? [processA, processB] : [processB, processA];
    const bob = await join(holder, sessionId, 'bob');
    await waitFor(() => playerIn(alice, 'bob')?.connected, 'alice to see bob');

    proxy.cut();
    // The room and its sockets are local to its process: readiness goes on, and is written.
    alice.send('ready', { ready: true });
    await waitFor(() => playerIn(bob, 'alice')?.ready === true, 'bob to see alice ready while Redis is away');
    const database = new SessionService(await testDatabase());
    await waitFor(async () => (await database.loadSnapshot(sessionId)).players.find((p) => p.clientId === 'alice')?.ready, 'alice ready in the database');

    for (const server of processes) {
      const ready = await waitFor(async () => {
        const answer = await httpTo(server, 'GET', '/ready');
        return answer.status === 503 && answer.body;
      }, `/ready on ${server.port} to answer 503`);
      assert.equal(ready.redis.ok, false);
      assert.deepEqual(ready.database, { ok: true });
    }

    // Not tested here: a join attempted during the outage (refused after ~8 s with ioredis's
    // MaxRetriesPerRequestError, code 523) leaves later joins of that session through that process
    // failing the same way after Redis is back (see docs/security.md).
    proxy.restore();
    for (const server of processes) {
      await waitFor(async () => (await httpTo(server, 'GET', '/ready')).status === 200, `/ready on ${server.port} to answer 200 again`, RECOVERY_BOUND_MS);
    }
    // Presence is back without a restart: a join through the process that does not hold the room
    // reaches it over Redis, into the same room.
    const carol = await join(other, sessionId, 'carol');
    assert.equal(carol.roomId, sessionId);
    await waitFor(
      () => playerIn(carol, 'alice')?.ready === true && playerIn(carol, 'bob')?.connected && playerIn(alice, 'carol')?.connected,
      'carol in the same room',
    );
    assert.equal((await roomsRunningIn(holder)) + (await roomsRunningIn(other)), 1);

    const snapshot = await database.loadSnapshot(sessionId);
    assert.deepEqual(snapshot.players.map((player) => [player.clientId, player.ready]).sort(), [
      ['alice', true],
      ['bob', false],
      ['carol', false],
    ]);
  });
});
