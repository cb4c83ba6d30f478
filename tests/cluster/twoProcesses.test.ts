import assert from 'node:assert/strict';
import { CloseCode } from '@colyseus/sdk';
import { WebSocket } from 'ws';
import { SESSION_DELETED_CLOSE_CODE } from '../../rooms/closeCodes.ts';
import { httpTo, startServerProcess, stopServerProcess, type ClusterServices, type ServerProcess } from '../support/serverProcess.ts';
import { twoServerProcesses } from '../support/twoServerProcesses.ts';
import { SessionService } from '../../src/sessions/SessionService.ts';
import { testDatabase } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';
import { labyrinthClient, type LabyrinthRoom, whoami } from '../support/labyrinthClient.ts';

// Two real server processes (`node src/index.ts`) on loopback sharing one Redis and one PostgreSQL,
// as under PM2; driven by real SDK clients and HTTP. Run by tests/run.ts's cluster pass.

/** Two processes in every test, and a third one where a test needs different settings. */
const PORTS = [2610, 2611, 2612] as const;
/** The bound: after a kill -9, the survivor serves the session again within 5 s. */
const RECOVERY_BOUND_MS = 5000;
/** Generous: a graceful shutdown here takes well under a second. */
const SHUTDOWN_LIMIT_MS = 20_000;

describe('two server processes sharing Redis and PostgreSQL', function () {
  this.timeout(60_000);
  const cluster = twoServerProcesses(PORTS, serverEnvironment);

  function serverEnvironment(services: ClusterServices): Record<string, string> {
    return {
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      // Each process tells the SDK to connect to itself for the rooms it holds.
      PUBLIC_ADDRESS: '127.0.0.1:{port}',
      RECONNECT_SECONDS: '2',
      // No round starts in these tests, even when every seated player is ready.
      COUNTDOWN_SECONDS: '30',
    };
  }

  const http = httpTo;

  async function createSession(server: ServerProcess): Promise<string> {
    const created = await http(server, 'POST', '/api/sessions', { size: 6 });
    assert.equal(created.status, 201);
    return created.body.id;
  }

  async function join(server: ServerProcess, sessionId: string, clientId: string, extra: Record<string, string> = {}): Promise<LabyrinthRoom> {
    const room = await labyrinthClient(server.url).joinOrCreate('labyrinth', { sessionId, clientId, ...extra });
    cluster.openRooms.push(room);
    room.onMessage('error', () => undefined);
    return room;
  }

  const playerIn = (room: LabyrinthRoom, clientId: string) => room.state.players?.get(clientId);

  /** Rooms running in one process, from its /metrics (Colyseus's own per-process count). */
  async function roomsRunningIn(server: ServerProcess): Promise<number> {
    const metrics = await http(server, 'GET', '/metrics');
    const match = /^labyrinth_rooms (\d+)$/m.exec(String(metrics.body));
    assert.ok(match, 'labyrinth_rooms in /metrics');
    return Number(match[1]);
  }

  async function roomsRunningInTheCluster(): Promise<number> {
    return (await roomsRunningIn(cluster.processA)) + (await roomsRunningIn(cluster.processB));
  }

  /** With one room running: the process that holds it, and the other one. */
  async function whereTheRoomRuns(): Promise<{ holder: ServerProcess; other: ServerProcess }> {
    const [inA, inB] = [await roomsRunningIn(cluster.processA), await roomsRunningIn(cluster.processB)];
    assert.equal(inA + inB, 1, `one room in the cluster (A: ${inA}, B: ${inB})`);
    return inA === 1 ? { holder: cluster.processA, other: cluster.processB } : { holder: cluster.processB, other: cluster.processA };
  }

  it('joins a session created through A through either process, into one room where all see each other', async () => {
    const sessionId = await createSession(cluster.processA);
    const alice = await join(cluster.processA, sessionId, 'alice');
    const { other } = await whereTheRoomRuns();
    // Through the process that does not hold the room: the seat is reserved over Redis, and the
    // SDK connects to the holder's PUBLIC_ADDRESS.
    const bob = await join(other, sessionId, 'bob');
    assert.equal(alice.roomId, sessionId);
    assert.equal(bob.roomId, sessionId);

    await waitFor(() => playerIn(alice, 'bob')?.connected, 'alice to see bob');
    await waitFor(() => playerIn(bob, 'alice')?.connected, 'bob to see alice');
    bob.send('ready', { ready: true });
    await waitFor(() => playerIn(alice, 'bob')?.ready === true, 'alice to see bob ready');
    assert.equal(await roomsRunningInTheCluster(), 1);
  });

  it('bridges the old HTTP API and session deletion on one process to the room running on the other', async () => {
    const sessionId = await createSession(cluster.processA);
    const alice = await join(cluster.processA, sessionId, 'alice');
    const { clientToken } = await whoami(alice);
    const { other } = await whereTheRoomRuns();
    const pushes: unknown[] = [];
    const pushSocket = new WebSocket(`${other.url.replace('http', 'ws')}/ws/${sessionId}`);
    pushSocket.on('message', (data) => pushes.push(JSON.parse((data as Buffer).toString())));
    try {
      await waitFor(() => pushes.length === 1, 'the push channel on the other process to answer');

      const toggled = await http(other, 'POST', `/api/game_sessions/${sessionId}/toggle_readiness`, {
        client_id: 'alice',
        ready: true,
        client_token: clientToken,
      });
      assert.equal(toggled.status, 200);
      assert.deepEqual(toggled.body, { players: [{ client_id: 'alice', ready: true }], all_ready: true });
      await waitFor(() => playerIn(alice, 'alice')?.ready === true, 'alice to see her readiness set over HTTP');

      const joined = await http(other, 'POST', `/api/game_sessions/${sessionId}/join`, { client_id: 'http-dan' });
      assert.equal(joined.status, 200);
      await waitFor(() => playerIn(alice, 'http-dan'), 'alice to see the HTTP player');
      assert.equal(playerIn(alice, 'http-dan')?.connected, false);
      // The room published both changes on Redis presence; the other process's push channel heard them.
      await waitFor(
        () =>
          pushes.some(
            (push) =>
              JSON.stringify(push) ===
              JSON.stringify({
                players: [
                  { client_id: 'alice', ready: true },
                  { client_id: 'http-dan', ready: false },
                ],
                all_ready: false,
              }),
          ),
        'the push channel on the other process to hear the HTTP join',
      );
      assert.equal(await roomsRunningInTheCluster(), 1);

      // Deleting the session through the other process closes the room where it runs.
      const closed = new Promise<number>((resolve) => alice.onLeave((code) => resolve(code)));
      assert.equal((await http(other, 'DELETE', `/api/sessions/${sessionId}`)).status, 204);
      assert.equal(await closed, SESSION_DELETED_CLOSE_CODE);
    } finally {
      pushSocket.terminate();
    }
  });

  it('ends concurrent cold joins on both processes in exactly one room per session', async () => {
    const sessionIds = await Promise.all([1, 2, 3].map(() => createSession(cluster.processA)));
    const rooms = await Promise.all(
      sessionIds.flatMap((sessionId, session) =>
        [0, 1, 2, 3, 4, 5].map((client) => join(client % 2 === 0 ? cluster.processA : cluster.processB, sessionId, `s${session}-c${client}`)),
      ),
    );
    // Old-API joins create rooms too (through matchMaker.createRoom, without joinOrCreate's lock).
    const httpSessionId = await createSession(cluster.processA);
    const httpJoins = await Promise.all(
      [cluster.processA, cluster.processB, cluster.processA, cluster.processB].map((server, client) =>
        http(server, 'POST', `/api/game_sessions/${httpSessionId}/join`, { client_id: `http-${client}` }),
      ),
    );
    assert.deepEqual(
      httpJoins.map((joined) => joined.status),
      [200, 200, 200, 200],
    );

    rooms.forEach((room, index) => assert.equal(room.roomId, sessionIds[Math.floor(index / 6)]));
    // Counted by the processes themselves, so a second room would show even if it were not listed.
    assert.equal(await roomsRunningInTheCluster(), 4);
    const listed = await http(cluster.processB, 'GET', '/api/sessions?limit=10');
    for (const session of listed.body.sessions) {
      assert.ok(session.live, `session ${session.id} is listed with its running room`);
    }
    await Promise.all(rooms.map((room) => waitFor(() => room.state.players?.size === 6, 'all six players in one state')));
    const status = await http(cluster.processB, 'GET', `/api/game_sessions/${httpSessionId}/status`);
    assert.equal(status.body.players.length, 4);
  });

  it('ends twenty concurrent quick plays through both processes in three sessions of eight (at most one more), none over its cap', async () => {
    const rooms = await Promise.all(
      Array.from({ length: 20 }, async (_, index) => {
        const room = await labyrinthClient((index % 2 === 0 ? cluster.processA : cluster.processB).url).joinOrCreate('labyrinth', {
          clientId: `quick-${index}`,
        });
        cluster.openRooms.push(room);
        return room;
      }),
    );
    const bySession = new Map<string, number>();
    for (const room of rooms) bySession.set(room.roomId, (bySession.get(room.roomId) ?? 0) + 1);
    assert.ok(bySession.size >= 3 && bySession.size <= 4, `${bySession.size} sessions`);
    for (const [sessionId, count] of bySession) assert.ok(count <= 8, `${count} players in ${sessionId}`);
    await waitFor(async () => (await roomsRunningInTheCluster()) === bySession.size, 'one room per session in the cluster');
    const listed = await http(cluster.processA, 'GET', '/api/sessions');
    assert.equal(listed.body.total, bySession.size);
  });

  it('keeps membership and readiness through a SIGTERM: clients get 4001 and rejoin through the survivor at once', async () => {
    const sessionId = await createSession(cluster.processA);
    const alice = await join(cluster.processA, sessionId, 'alice');
    const bob = await join(cluster.processB, sessionId, 'bob');
    const tokens = { alice: (await whoami(alice)).clientToken, bob: (await whoami(bob)).clientToken };
    alice.send('ready', { ready: true });
    await waitFor(() => playerIn(bob, 'alice')?.ready === true, 'bob to see alice ready');
    const { holder, other } = await whereTheRoomRuns();
    // Like a client app would: on 4001, join again right away, while the old process still closes.
    const rejoinOnShutdown = (room: LabyrinthRoom, clientId: 'alice' | 'bob') =>
      new Promise<{ code: number; back: LabyrinthRoom }>((resolve, reject) =>
        room.onLeave((code) => void join(other, sessionId, clientId, { clientToken: tokens[clientId] }).then((back) => resolve({ code, back }), reject)),
      );
    const rejoins = Promise.all([rejoinOnShutdown(alice, 'alice'), rejoinOnShutdown(bob, 'bob')]);

    const exit = await stopServerProcess(holder, 'SIGTERM', SHUTDOWN_LIMIT_MS);
    assert.deepEqual(exit, { code: 0, signal: null });
    const [aliceBack, bobBack] = await rejoins;
    assert.deepEqual([aliceBack.code, bobBack.code], [CloseCode.SERVER_SHUTDOWN, CloseCode.SERVER_SHUTDOWN]);
    await waitFor(() => playerIn(aliceBack.back, 'bob')?.connected && playerIn(bobBack.back, 'alice')?.connected, 'both back in the rebuilt room');
    assert.equal(playerIn(aliceBack.back, 'alice')?.ready, true);
    assert.equal(playerIn(aliceBack.back, 'bob')?.ready, false);
    // The closing process delisted only its own room: the new one stays listed and takes newcomers.
    const carol = await join(other, sessionId, 'carol');
    await waitFor(() => playerIn(carol, 'alice') && playerIn(carol, 'bob'), 'carol in the same room');
    assert.equal(await roomsRunningIn(other), 1);
  });

  it('exits within SHUTDOWN_TIMEOUT_SECONDS even when the shutdown cannot finish (Redis not answering)', async () => {
    const stuck = await startServerProcess(PORTS[2], { ...serverEnvironment(cluster.services), SHUTDOWN_TIMEOUT_SECONDS: '1' });
    // Colyseus's shutdown starts by taking the process out of Redis's process list: it waits here.
    await cluster.redis.call('CLIENT', 'PAUSE', '4000', 'ALL');
    const exit = await stopServerProcess(stuck, 'SIGTERM', SHUTDOWN_LIMIT_MS);
    assert.deepEqual(exit, { code: 1, signal: null });
    assert.match(stuck.output(), /shutdown did not finish in time/);
  });

  it('re-creates the room of a kill -9ed process on the survivor within 5 s, membership and readiness intact', async () => {
    const sessionId = await createSession(cluster.processA);
    const alice = await join(cluster.processA, sessionId, 'alice');
    const bob = await join(cluster.processB, sessionId, 'bob');
    const { clientToken } = await whoami(alice);
    alice.send('ready', { ready: true });
    await waitFor(() => playerIn(bob, 'alice')?.ready === true, 'bob to see alice ready');
    // A kill -9 may lose what changed in the last flush interval (FLUSH_INTERVAL_MS, docs/architecture.md): this
    // test is about what was written before it.
    await waitFor(async () => (await new SessionService(await testDatabase()).loadSnapshot(sessionId)).players[0]?.ready, 'alice ready in the database');
    // These clients lose their server for good: keep the SDK from retrying against it meanwhile.
    alice.reconnection.enabled = false;
    bob.reconnection.enabled = false;
    const { holder, other } = await whereTheRoomRuns();

    process.kill(holder.pid, 'SIGKILL');
    await holder.exited;
    const killedAt = Date.now();
    let aliceBack: LabyrinthRoom | undefined;
    let lastError: unknown;
    while (!aliceBack && Date.now() - killedAt < RECOVERY_BOUND_MS) {
      aliceBack = await join(other, sessionId, 'alice', { clientToken }).catch((error: unknown) => {
        lastError = error;
        return undefined;
      });
    }
    assert.ok(aliceBack, `no join within ${RECOVERY_BOUND_MS} ms after the kill; last error: ${String((lastError as Error)?.message)}`);
    const rebuilt = aliceBack;
    await waitFor(() => playerIn(rebuilt, 'alice')?.connected && playerIn(rebuilt, 'bob'), 'the rebuilt room', RECOVERY_BOUND_MS);
    const recoveredMs = Date.now() - killedAt;
    assert.ok(recoveredMs < RECOVERY_BOUND_MS, `recovered after ${recoveredMs} ms`);
    console.log(`      (room re-created on the survivor ${recoveredMs} ms after the kill)`);
    assert.equal(playerIn(rebuilt, 'alice')?.ready, true);
    assert.equal(playerIn(rebuilt, 'bob')?.ready, false);
    assert.equal(await roomsRunningIn(other), 1);
  });

  it("lets the old HTTP API on the survivor reach a kill -9ed process's session within 5 s", async () => {
    const sessionId = await createSession(cluster.processA);
    const alice = await join(cluster.processA, sessionId, 'alice');
    const { clientToken } = await whoami(alice);
    alice.send('ready', { ready: true });
    const joined = await http(cluster.processB, 'POST', `/api/game_sessions/${sessionId}/join`, { client_id: 'http-bea' });
    assert.equal(joined.status, 200);
    await waitFor(() => playerIn(alice, 'http-bea') && playerIn(alice, 'alice')?.ready, 'alice ready, and the HTTP player seated');
    // As above: what a kill -9 may lose is the last flush interval, not what this test is about.
    await waitFor(
      async () => (await new SessionService(await testDatabase()).loadSnapshot(sessionId)).players.find((p) => p.clientId === 'alice')?.ready,
      'alice ready in the database',
    );
    alice.reconnection.enabled = false;
    const { holder, other } = await whereTheRoomRuns();

    process.kill(holder.pid, 'SIGKILL');
    await holder.exited;
    const killedAt = Date.now();
    // The first call goes to the dead process's room and times out; the bridge has Colyseus
    // health-check that process, which releases its listing, and retries in a new room.
    const toggled = await http(other, 'POST', `/api/game_sessions/${sessionId}/toggle_readiness`, {
      client_id: 'http-bea',
      ready: true,
      client_token: joined.body.client_token,
    });
    const answeredMs = Date.now() - killedAt;
    assert.equal(toggled.status, 200, JSON.stringify(toggled.body));
    assert.deepEqual(toggled.body, {
      players: [
        { client_id: 'alice', ready: true },
        { client_id: 'http-bea', ready: true },
      ],
      all_ready: true,
    });
    assert.ok(answeredMs < RECOVERY_BOUND_MS, `answered after ${answeredMs} ms`);
    const aliceBack = await join(other, sessionId, 'alice', { clientToken });
    await waitFor(() => playerIn(aliceBack, 'http-bea')?.ready === true, 'alice back, seeing the HTTP readiness');
  });

  it('reports Redis in /ready: 503 naming it while Redis does not answer, 200 again after', async () => {
    assert.deepEqual((await http(cluster.processA, 'GET', '/ready')).body, {
      status: 'ready',
      database: { ok: true },
      redis: { ok: true },
      load: { ok: true },
    });
    // Redis holds every client's commands (ours too once this one returns) for 2.5 s.
    await cluster.redis.call('CLIENT', 'PAUSE', '2500', 'ALL');
    const paused = await http(cluster.processA, 'GET', '/ready');
    assert.equal(paused.status, 503);
    assert.equal(paused.body.status, 'unavailable');
    assert.deepEqual(paused.body.database, { ok: true });
    assert.equal(paused.body.redis.ok, false);
    assert.match(paused.body.redis.reason, /no answer within/);
    await waitFor(async () => (await http(cluster.processA, 'GET', '/ready')).status === 200, 'Redis to answer again', 10_000);
  });
});
