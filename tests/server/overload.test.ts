import assert from 'node:assert/strict';
import { opposite, type Direction } from '../../src/maze/directions.ts';
import { generateMaze } from '../../src/maze/generateMaze.ts';
import { databaseEnvironment, httpTo, killServerProcesses, startServerProcess, type ServerProcess } from '../support/serverProcess.ts';
import { resetTestDatabase, TEST_PORT } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';
import { labyrinthClient, type LabyrinthRoom, type LabyrinthState } from '../support/labyrinthClient.ts';

// A server that falls behind must judge its clients, not its own lateness: here it is made late on
// purpose by freezing its process (SIGSTOP, then SIGCONT), as a long GC pause or a burst of work
// would, while real SDK clients in this process keep sending within their limits.

const PORT = TEST_PORT + 45;
const MOVE_COOLDOWN_MS = 150;
const SEED = 'overload';
const SIZE = 6;

type Player = { room: LabyrinthRoom; errors: string[]; closes: number[]; state: () => LabyrinthState };

describe('a server that falls behind', function () {
  this.timeout(90_000);
  let server: ServerProcess;
  const players: Player[] = [];

  before(async () => {
    await resetTestDatabase();
    server = await start();
  });
  after(killServerProcesses);
  afterEach(() => {
    for (const { room } of players.splice(0)) {
      room.reconnection.enabled = false;
      room.removeAllListeners();
      room.connection.close();
    }
  });

  function start(port = PORT, settings: Record<string, string> = {}): Promise<ServerProcess> {
    return startServerProcess(port, {
      ...databaseEnvironment(),
      LOG_LEVEL: 'info',
      MOVE_COOLDOWN_MS: String(MOVE_COOLDOWN_MS),
      COUNTDOWN_SECONDS: '0.1',
      ...settings,
    });
  }

  async function createSession(): Promise<string> {
    const created = await httpTo(server, 'POST', '/api/sessions', { size: SIZE, seed: SEED });
    assert.equal(created.status, 201);
    return created.body.id;
  }

  /** Joins and records every refusal and every close the client sees. */
  async function join(sessionId: string, clientId: string): Promise<Player> {
    const room = await labyrinthClient(server.url).joinOrCreate('labyrinth', { sessionId, clientId });
    const player: Player = { room, errors: [], closes: [], state: () => room.state };
    room.onMessage('error', ({ code }: { code: string }) => player.errors.push(code));
    room.onDrop((code) => player.closes.push(code));
    room.onLeave((code) => player.closes.push(code));
    players.push(player);
    return player;
  }

  /** Freezes the server process `times` times for `ms`, `every` ms apart, while the clients go on. */
  async function freezeServer(times: number, ms: number, every: number): Promise<void> {
    for (let index = 0; index < times; index++) {
      process.kill(server.pid, 'SIGSTOP');
      await new Promise((resolve) => setTimeout(resolve, ms));
      process.kill(server.pid, 'SIGCONT');
      await new Promise((resolve) => setTimeout(resolve, every - ms));
    }
  }

  it('evicts nobody who stays within the message limit while it catches up', async () => {
    const sessionId = await createSession();
    const lobby = await Promise.all(['p1', 'p2', 'p3', 'p4'].map((clientId) => join(sessionId, clientId)));
    // 15 messages a second each (the limit is 20): with the server frozen for a second, a burst of
    // them is handled at once, which Colyseus's own counter took for a flood.
    const toggles = lobby.map((player, index) => {
      let ready = false;
      return setInterval(() => {
        // p4 never readies, so the round does not start and readiness stays settable.
        ready = index < 3 && !ready;
        player.room.send('ready', { ready });
      }, 1000 / 15);
    });
    try {
      await freezeServer(3, 1000, 1500);
    } finally {
      for (const toggle of toggles) clearInterval(toggle);
    }
    // Every player still connected and acting: each sets a readiness everyone else sees.
    lobby.forEach((player, index) => player.room.send('ready', { ready: index % 2 === 0 }));
    for (const [index] of lobby.entries()) {
      await waitFor(() => lobby.every((other) => other.state().players.get(`p${index + 1}`)?.ready === (index % 2 === 0)), `p${index + 1}'s last readiness`);
    }
    assert.deepEqual(
      lobby.map((player) => player.closes),
      [[], [], [], []],
      'nobody was disconnected',
    );
    assert.deepEqual(
      lobby.flatMap((player) => player.errors),
      [],
      'nothing was refused',
    );
  });

  it('refuses no legal move that arrived while it was frozen', async () => {
    const sessionId = await createSession();
    const maze = generateMaze(SIZE, SEED);
    const there: Direction = maze.tiles[maze.startY * SIZE + maze.startX]!.openDirections[0]!;
    const walkers = await Promise.all(['w1', 'w2', 'w3'].map((clientId) => join(sessionId, clientId)));
    for (const walker of walkers) walker.room.send('ready', { ready: true });
    await waitFor(() => walkers.every((walker) => walker.state().phase === 'playing'), 'the round to start');
    // Back and forth between the start and its neighbour, one step every 250 ms (cooldown 150 ms):
    // every step is legal as long as none was refused.
    const steps = walkers.map((walker) => {
      let direction = there;
      return setInterval(() => {
        walker.room.send('move', { dir: direction });
        direction = opposite(direction);
      }, 250);
    });
    try {
      await freezeServer(4, 600, 1200);
    } finally {
      for (const step of steps) clearInterval(step);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(
      walkers.flatMap((walker) => walker.errors),
      [],
      'no move was refused',
    );
    assert.deepEqual(
      walkers.map((walker) => walker.closes),
      [[], [], []],
      'nobody was disconnected',
    );
  });

  it('reports overload, refuses newcomers (503) while existing players go on, and recovers', async () => {
    const usual = server;
    // A threshold of 200 ms and freezes of 500 ms: far enough apart that a busy CI machine's own
    // scheduling noise neither hides the overload nor keeps the server from recovering (below 100 ms).
    server = await start(PORT + 1, { OVERLOAD_DELAY_MS: '200' });
    try {
      const sessionId = await createSession();
      const alice = await join(sessionId, 'alice');
      const freezing = freezeServer(6, 500, 700);
      const overloaded = await waitFor(
        async () => {
          const ready = await httpTo(server, 'GET', '/ready');
          return ready.status === 503 && ready.body;
        },
        '/ready to report overload',
        10_000,
      );
      assert.equal(overloaded.load.ok, false);
      assert.match(overloaded.load.reason, /event loop delay p99 \d+ ms/);
      const refused = await labyrinthClient(server.url)
        .joinOrCreate('labyrinth', { sessionId, clientId: 'bob' })
        .then(
          () => assert.fail('a newcomer should be refused while the server is overloaded'),
          (error: { code: number; message: string }) => error,
        );
      assert.equal(refused.code, 503);
      assert.match(refused.message, /overloaded/);
      // alice, already in, still plays.
      alice.room.send('ready', { ready: true });
      await waitFor(() => alice.state().players.get('alice')?.ready, 'alice ready', 10_000);
      await freezing;
      let lastReady: unknown;
      await waitFor(
        async () => {
          const ready = await httpTo(server, 'GET', '/ready');
          lastReady = ready.body;
          return ready.status === 200;
        },
        () => `the server to recover (last /ready: ${JSON.stringify(lastReady)})`,
        30_000,
      );
      const bob = await join(sessionId, 'bob');
      await waitFor(() => bob.state().players?.get('alice'), 'bob in after the recovery');
      assert.deepEqual(alice.closes, []);
      const metrics = await httpTo(server, 'GET', '/metrics');
      assert.match(String(metrics.body), /^labyrinth_joins_refused_total\{reason="overloaded"\} [1-9]/m);
      assert.match(server.output(), /overloaded: refusing new joins/);
      assert.match(server.output(), /event loop lagging/);
    } finally {
      server = usual;
    }
  });

  it('still cuts off a real flood, with code 4002, and logs the close with its reason', async () => {
    const sessionId = await createSession();
    const flooder = await join(sessionId, 'flooder');
    const bystander = await join(sessionId, 'bystander');
    for (let index = 0; index < 200; index++) flooder.room.send('ready', { ready: index % 2 === 0 });
    await waitFor(() => flooder.closes.length > 0, 'the flooder to be cut off');
    assert.equal(flooder.closes[0], 4002);
    assert.match(server.output(), /"code":4002,"reason":"More than 20 messages per second".*closing a room connection/);
    assert.deepEqual(bystander.closes, []);
  });
});
