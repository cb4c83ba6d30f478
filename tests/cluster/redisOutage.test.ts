import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { SessionService } from '../../src/sessions/SessionService.ts';
import { CuttableProxy } from '../support/cuttableProxy.ts';
import { clusterServices, endClusterTest, httpTo, startServerProcess, type ServerProcess } from '../support/serverProcess.ts';
import { resetTestDatabase, testDatabase } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';
import { labyrinthClient, type LabyrinthRoom } from '../support/labyrinthClient.ts';

// docs/security.md, "Redis gone with several processes": two server processes reach the shared
// Redis through a proxy the test cuts (every connection dropped, new ones refused, as when Redis
// stops), under a live room, then restores.

const PORTS = [2622, 2623] as const;
/** ioredis retries with a growing delay (up to 2 s): how long the processes get to come back. */
const RECOVERY_BOUND_MS = 15_000;
/** A join during the outage is refused at once, not after ioredis's ~8 s of retries. */
const REFUSAL_BOUND_MS = 3000;
/** From Redis's return, how long a join through the other process may take to get in. */
const REJOIN_BOUND_MS = 10_000;

describe('a Redis outage under two server processes', function () {
  this.timeout(90_000);
  let proxy: CuttableProxy;
  let processes: ServerProcess[] = [];
  const rooms: LabyrinthRoom[] = [];

  before(async () => {
    const { databaseUrl, redisUrl } = clusterServices();
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
    await endClusterTest();
    await proxy?.close();
  });

  afterEach(function () {
    if (this.currentTest?.state !== 'failed') return;
    for (const server of processes) console.error(`--- output of the server on port ${server.port} ---\n${server.output()}`);
  });

  async function join(server: ServerProcess, sessionId: string, clientId: string): Promise<LabyrinthRoom> {
    const room = await labyrinthClient(server.url).joinOrCreate('labyrinth', { sessionId, clientId });
    rooms.push(room);
    room.onMessage('error', () => undefined);
    return room;
  }

  const playerIn = (room: LabyrinthRoom, clientId: string) => room.state.players?.get(clientId);

  async function roomsRunningIn(server: ServerProcess): Promise<number> {
    const metrics = await httpTo(server, 'GET', '/metrics');
    return Number(/^labyrinth_rooms (\d+)$/m.exec(String(metrics.body))?.[1]);
  }

  /** The MatchMakeError of a join that is refused (undefined if it got in), and how long it took. */
  async function refusedJoin(server: ServerProcess, sessionId: string, clientId: string): Promise<{ error?: { code?: number; message?: string }; ms: number }> {
    const startedAt = Date.now();
    const error = await join(server, sessionId, clientId).then(
      () => undefined,
      (refusal: unknown) => refusal as { code?: number; message?: string },
    );
    return { error, ms: Date.now() - startedAt };
  }

  it('keeps the room playing and writing, refuses new joins at once with 503, logs the outage once, and recovers without a restart', async () => {
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

    // A newcomer through the process that does not hold the room: matchmaking needs Redis, so it
    // is refused at once, with a code a client can act on (try again shortly).
    const refusal = await refusedJoin(other, sessionId, 'carol');
    assert.ok(refusal.error, 'the join during the outage was refused');
    assert.equal(refusal.error.code, 503);
    assert.match(refusal.error.message ?? '', /matchmaking_unavailable/);
    assert.ok(refusal.ms < REFUSAL_BOUND_MS, `refused in ${refusal.ms} ms`);

    proxy.restore();
    const restoredAt = Date.now();
    for (const server of processes) {
      await waitFor(async () => (await httpTo(server, 'GET', '/ready')).status === 200, `/ready on ${server.port} to answer 200 again`, RECOVERY_BOUND_MS);
    }
    // Presence and matchmaking are back without a restart, the refused join notwithstanding
    // (Colyseus's Redis driver used to keep its failed listing read and fail every later one): a
    // join through the process that does not hold the room reaches it over Redis, into the same room.
    // Until each process's connections are all back it may still be refused with 503.
    let carol: LabyrinthRoom | undefined;
    let lastRefusal: unknown;
    while (!carol && Date.now() - restoredAt < REJOIN_BOUND_MS) {
      carol = await join(other, sessionId, 'carol').catch((error: unknown) => {
        lastRefusal = error;
        return undefined;
      });
      if (!carol) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.ok(carol, `carol got in within ${REJOIN_BOUND_MS} ms of Redis's return (last refusal: ${String((lastRefusal as Error | undefined)?.message)})`);
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

    // The outage is one warning per process about the connections, not one per reconnection
    // attempt of each connection (ioredis retries several times a second).
    for (const server of processes) {
      const messages = server
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{') && line.includes('"level":40'))
        .map((line) => (JSON.parse(line) as { msg: string }).msg);
      assert.deepEqual(
        messages.filter((message) => /connection/i.test(message)),
        [`lost the connection to Redis at redis://127.0.0.1:${proxy.port}: new joins are refused until it is back`],
        `warnings of the server on port ${server.port}`,
      );
    }
  });
});
