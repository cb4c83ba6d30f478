import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { CloseCode } from '@colyseus/sdk';
import { Redis } from 'ioredis';
import { closeAllDatabases } from '../../src/database/openDatabase.ts';
import { projectRoot } from '../../src/projectRoot.ts';
import { SessionService } from '../../src/sessions/SessionService.ts';
import { Pm2 } from '../support/pm2.ts';
import { clusterServices, type ClusterServices } from '../support/serverProcess.ts';
import { GENEROUS_LIMITS, resetTestDatabase, TEST_ADMIN_PASSWORD, testDatabase } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';
import { labyrinthClient, type LabyrinthRoom, whoami, type PlayerView } from '../support/labyrinthClient.ts';

// The recipe of docs/operations.md ("Several processes"), as an operator runs it: the pinned PM2
// starts ecosystem.config.js's two instances on the build output (dist/), on PostgreSQL and Redis;
// then `pm2 reload` restarts them one by one under seated players.

/** Instance 0 listens on PORT, instance 1 on PORT + 1 (ports no other cluster test uses). */
const PORT = 2620;
const urls = [`http://127.0.0.1:${PORT}`, `http://127.0.0.1:${PORT + 1}`] as const;
/** `npm run build`'s server half (the client demo is built before every test run). */
const BUILD_TIMEOUT_MS = 60_000;
/** How long a player keeps trying to get back in after a 4001 (a process restarting takes ~3 s). */
const REJOIN_BOUND_MS = 20_000;

/**
 * A player as docs/protocol.md tells clients to behave: on 4001 (server shutdown or restart) join
 * again with the same sessionId, clientId and clientToken, retrying for a while.
 */
class Player {
  room!: LabyrinthRoom;
  shutdowns = 0;
  #token: string | undefined;
  #closed = false;
  readonly clientId: string;
  readonly sessionId: string;
  readonly endpoint: string;

  constructor(clientId: string, sessionId: string, endpoint: string) {
    this.clientId = clientId;
    this.sessionId = sessionId;
    this.endpoint = endpoint;
  }

  async join(): Promise<void> {
    const room = await labyrinthClient(this.endpoint).joinOrCreate('labyrinth', {
      sessionId: this.sessionId,
      clientId: this.clientId,
      clientToken: this.#token,
    });
    room.onMessage('error', () => undefined);
    room.onLeave((code) => {
      if (code !== CloseCode.SERVER_SHUTDOWN || this.#closed) return;
      this.shutdowns += 1;
      void this.#rejoin();
    });
    this.room = room;
    this.#token ??= (await whoami(room)).clientToken;
  }

  async #rejoin(): Promise<void> {
    const deadline = Date.now() + REJOIN_BOUND_MS;
    while (!this.#closed && Date.now() < deadline) {
      try {
        return await this.join();
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 250)); // the process may still be starting
      }
    }
  }

  sees(clientId: string): PlayerView | undefined {
    return this.room.connection.isOpen ? this.room.state.players?.get(clientId) : undefined;
  }

  close(): void {
    this.#closed = true;
    if (!this.room) return;
    this.room.reconnection.enabled = false;
    this.room.removeAllListeners();
    this.room.connection.close();
  }
}

/** Polls both instances' `/ready` until stopped: for each moment, whether each answered 200. */
function watchServing(): { stop(): Promise<boolean[][]> } {
  const moments: boolean[][] = [];
  let stopped = false;
  const answers = (url: string) =>
    fetch(`${url}/ready`, { signal: AbortSignal.timeout(3000) }).then(
      (response) => response.status === 200,
      () => false,
    );
  const polling = (async () => {
    while (!stopped) {
      moments.push(await Promise.all(urls.map(answers)));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await polling;
      return moments;
    },
  };
}

describe('the PM2 recipe: two instances of ecosystem.config.js on PostgreSQL and Redis', function () {
  this.timeout(90_000);
  let services: ClusterServices;
  const pm2 = new Pm2();
  const players: Player[] = [];

  before(async function () {
    services = clusterServices();
    // PM2 runs dist/src/index.js: build it from the sources under test, as the recipe does.
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: projectRoot, timeout: BUILD_TIMEOUT_MS });
    const redis = new Redis(services.redisUrl);
    await redis.flushdb();
    redis.disconnect();
    await resetTestDatabase();
  });

  after(async () => {
    for (const player of players) player.close();
    await pm2.kill();
    await closeAllDatabases();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.error(await pm2.command(['logs', '--nostream', '--lines', '60']).catch(String));
  });

  it('serves a session created through one instance and joined through the other, and keeps every seat through `pm2 reload`', async () => {
    await pm2.command(['start', 'ecosystem.config.js'], {
      INSTANCES: '2',
      PORT: String(PORT),
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      PUBLIC_ADDRESS: '127.0.0.1:{port}',
      ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      // A shared test machine runs late now and then: joins are not refused for it.
      OVERLOAD_DELAY_MS: '10000',
      ...GENEROUS_LIMITS,
    });
    const pidsBefore = await pm2.pids('labyrinth');
    assert.equal(pidsBefore.length, 2);
    for (const url of urls) assert.equal((await fetch(`${url}/ready`)).status, 200, `${url} ready once pm2 start returns (wait_ready)`);

    const created = await fetch(`${urls[0]}/api/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_PASSWORD}`, 'content-type': 'application/json' },
      body: JSON.stringify({ size: 6 }),
    });
    assert.equal(created.status, 201);
    const sessionId = ((await created.json()) as { id: string }).id;
    const alice = new Player('alice', sessionId, urls[1]);
    const bob = new Player('bob', sessionId, urls[1]);
    players.push(alice, bob);
    await alice.join();
    await bob.join();
    alice.room.send('ready', { ready: true });
    await waitFor(() => bob.sees('alice')?.ready === true && alice.sees('bob')?.connected, 'both seated, alice ready');

    // In fork mode PM2 restarts each instance (SIGINT, then a new process, waiting for its `ready`),
    // one after the other with two instances, so one of them serves at every moment.
    const serving = watchServing();
    await pm2.command(['reload', 'labyrinth']);
    const moments = await serving.stop();
    assert.ok(
      moments.length > 0 && !moments.some((up) => up.every((ready) => !ready)),
      `an instance served at every moment of the reload: ${JSON.stringify(moments)}`,
    );
    const pidsAfter = await pm2.pids('labyrinth');
    assert.equal(pidsAfter.length, 2);
    assert.ok(
      pidsAfter.every((pid) => !pidsBefore.includes(pid)),
      `every instance restarted (${pidsBefore.join(', ')} → ${pidsAfter.join(', ')})`,
    );

    await waitFor(
      () => alice.sees('bob')?.connected && bob.sees('alice')?.connected && alice.room.roomId === bob.room.roomId,
      () => `both back in one room (shutdowns seen: alice ${alice.shutdowns}, bob ${bob.shutdowns})`,
      REJOIN_BOUND_MS,
    );
    // The room ran in one of the reloaded processes, so its players were sent 4001 at least once.
    assert.ok(alice.shutdowns >= 1 && bob.shutdowns >= 1, `4001 seen (alice ${alice.shutdowns}, bob ${bob.shutdowns})`);
    assert.equal(alice.room.roomId, sessionId);
    assert.equal(alice.sees('alice')?.ready, true);
    assert.equal(alice.sees('bob')?.ready, false);
    assert.deepEqual([...alice.room.state.players.keys()].sort(), ['alice', 'bob']);

    // Nothing lost in the database: both seats, alice's readiness.
    const snapshot = await new SessionService(await testDatabase()).loadSnapshot(sessionId);
    assert.deepEqual(snapshot.players.map((player) => [player.clientId, player.ready]).sort(), [
      ['alice', true],
      ['bob', false],
    ]);
  });
});
