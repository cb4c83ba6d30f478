import assert from 'node:assert/strict';
import { tryMove, type Cell } from '../../src/game/moveRules.ts';
import { generateMaze } from '../../src/maze/generateMaze.ts';
import { pathBetween } from '../support/pathBetween.ts';
import { databaseEnvironment, httpTo, killServerProcesses, startServerProcess, stopServerProcess, type ServerProcess } from '../support/serverProcess.ts';
import { resetTestDatabase, TEST_PORT } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';
import { labyrinthClient, type LabyrinthRoom, type LabyrinthState } from '../support/labyrinthClient.ts';

// What a crash may lose, on a real server process: readiness, positions and revealed tiles are
// written in batches (FLUSH_INTERVAL_MS), so a kill -9 may lose the last interval of them; never a
// seat (a join is confirmed once its seat is written) nor a round's result; and a SIGTERM loses
// nothing. After each stop the server is started again on the same database and a spectator reads
// what the rebuilt room shows.

const PORT = TEST_PORT + 47;
const SIZE = 5;
const SEED = 'durability';
const maze = generateMaze(SIZE, SEED);
const start: Cell = { x: maze.startX, y: maze.startY };

describe('what a crash may lose', function () {
  this.timeout(90_000);
  let environment: Record<string, string>;
  let server: ServerProcess;
  const rooms: LabyrinthRoom[] = [];

  beforeEach(async () => {
    await resetTestDatabase();
    // A long interval, so that what is written at once could not have been written by a flush.
    environment = { ...databaseEnvironment(), FLUSH_INTERVAL_MS: '100', COUNTDOWN_SECONDS: '0.1', MOVE_COOLDOWN_MS: '10' };
    server = await startServerProcess(PORT, environment);
  });
  afterEach(async () => {
    for (const room of rooms.splice(0)) {
      room.reconnection.enabled = false;
      room.removeAllListeners();
      room.connection.close();
    }
    await killServerProcesses();
  });

  async function join(clientId: string, sessionId: string, extra: Record<string, unknown> = {}): Promise<{ room: LabyrinthRoom; state: () => LabyrinthState }> {
    const room = await labyrinthClient(server.url).joinOrCreate('labyrinth', { sessionId, clientId, ...extra });
    room.onMessage('error', () => undefined);
    rooms.push(room);
    return { room, state: () => room.state };
  }

  async function createSession(): Promise<string> {
    const created = await httpTo(server, 'POST', '/api/sessions', { size: SIZE, seed: SEED });
    assert.equal(created.status, 201);
    return created.body.id;
  }

  /** Stops the server (kill -9 or a graceful SIGTERM) and starts it again on the same database. */
  async function restart(how: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    for (const room of rooms.splice(0)) room.reconnection.enabled = false;
    if (how === 'SIGKILL') {
      process.kill(server.pid, 'SIGKILL');
      await server.exited;
    } else {
      assert.deepEqual(await stopServerProcess(server, 'SIGTERM', 20_000), { code: 0, signal: null });
    }
    server = await startServerProcess(PORT, environment);
  }

  /** What a spectator sees in the room rebuilt from the database. */
  async function rebuilt(sessionId: string): Promise<LabyrinthState> {
    const watcher = await join(`watcher-${Date.now()}`, sessionId, { spectator: true });
    return waitFor(() => (watcher.state().phase ? watcher.state() : undefined), 'the rebuilt state');
  }

  /** Plays the first `steps` steps of the way to the exit; returns where alice stands. */
  async function walk(alice: { room: LabyrinthRoom; state: () => LabyrinthState }, steps: number): Promise<Cell> {
    let at = start;
    for (const direction of pathBetween(maze, start, maze.exit).slice(0, steps)) {
      const move = tryMove(maze, at, direction);
      assert.ok(move.ok);
      at = move.to;
      alice.room.send('move', { dir: direction });
      await waitFor(() => alice.state().players.get('alice')?.x === at.x && alice.state().players.get('alice')?.y === at.y, `alice at ${at.x},${at.y}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return at;
  }

  async function playing(sessionId: string) {
    const alice = await join('alice', sessionId);
    alice.room.send('ready', { ready: true });
    await waitFor(() => alice.state().phase === 'playing', 'the round to start');
    return alice;
  }

  it('keeps a seat once the join is confirmed, through a kill -9 at once', async () => {
    const sessionId = await createSession();
    await join('alice', sessionId);
    await restart('SIGKILL');
    const clients = await httpTo(server, 'GET', `/api/game_sessions/${sessionId}/clients`);
    assert.deepEqual(
      clients.body.clients.map((client: { client_id: string }) => client.client_id),
      ['alice'],
    );
  });

  it("keeps a round's result once a player sees it, through a kill -9 at once", async () => {
    const sessionId = await createSession();
    const alice = await playing(sessionId);
    await walk(alice, pathBetween(maze, start, maze.exit).length);
    await waitFor(() => alice.state().phase === 'finished', 'the finish');
    await restart('SIGKILL');
    const state = await rebuilt(sessionId);
    assert.deepEqual([state.phase, state.winner], ['finished', 'alice']);
  });

  it('keeps readiness, positions and revealed tiles older than one flush interval through a kill -9', async () => {
    const sessionId = await createSession();
    const alice = await playing(sessionId);
    const at = await walk(alice, 3);
    const revealed = [...alice.state().revealed.keys()].sort();
    // Ten flush intervals: everything above has been written.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await restart('SIGKILL');
    const state = await rebuilt(sessionId);
    assert.equal(state.phase, 'playing');
    assert.deepEqual([state.players.get('alice')?.x, state.players.get('alice')?.y], [at.x, at.y]);
    assert.deepEqual([...state.revealed.keys()].sort(), revealed);
  });

  it('loses nothing on SIGTERM, even what changed just before it', async () => {
    const sessionId = await createSession();
    const alice = await playing(sessionId);
    const at = await walk(alice, 3);
    const revealed = [...alice.state().revealed.keys()].sort();
    await restart('SIGTERM');
    const state = await rebuilt(sessionId);
    assert.deepEqual([state.players.get('alice')?.x, state.players.get('alice')?.y, state.players.get('alice')?.ready], [at.x, at.y, true]);
    assert.deepEqual([...state.revealed.keys()].sort(), revealed);
  });
});
