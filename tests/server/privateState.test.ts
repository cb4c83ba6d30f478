import assert from 'node:assert/strict';
import { Room } from '@colyseus/sdk';
import { cellKey, cellsSeenFrom } from '../../src/game/fogOfWar.ts';
import { tryMove, type Cell } from '../../src/game/moveRules.ts';
import type { Direction } from '../../src/maze/directions.ts';
import { replayRound, type LogEntry } from '../../src/game/roundLog.ts';
import { generateMaze, type Maze } from '../../src/maze/generateMaze.ts';
import { SessionService } from '../../src/sessions/SessionService.ts';
import { request } from '../support/httpClient.ts';
import { readAuditTrail } from '../support/auditTrail.ts';
import { pathBetween } from '../support/pathBetween.ts';
import { roomTestServer, testDatabase } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';
import { type LabyrinthRoom, type LabyrinthState } from '../support/labyrinthClient.ts';

const MOVE_COOLDOWN_MS = 60;
const SERVER_SETTINGS = { COUNTDOWN_SECONDS: '0.2', MOVE_COOLDOWN_MS: String(MOVE_COOLDOWN_MS) };
const SEED = 'private-state';
const SIZE = 8;

/** `revealed` reaches a client with the first tile it may see (or at once, while it is empty). */
/** What one client's decoded state held after one patch. */
type Snapshot = { phase: string; seed: string; revealed: string[]; positions: Map<string, Cell | undefined> };

// Every frame each room's socket receives, as bytes, before the SDK decodes it.
const framesOf = new WeakMap<LabyrinthRoom, Uint8Array[]>();
// (onMessageCallback is protected: reached through a cast, as a test may.)
const roomPrototype = Room.prototype as unknown as { onMessageCallback(this: LabyrinthRoom, event: MessageEvent): void };
// eslint-disable-next-line @typescript-eslint/unbound-method -- called below with .call(this, …)
const decode = roomPrototype.onMessageCallback;
roomPrototype.onMessageCallback = function (this: LabyrinthRoom, event: MessageEvent) {
  const frames = framesOf.get(this) ?? [];
  framesOf.set(this, frames);
  frames.push(new Uint8Array(event.data as ArrayBuffer).slice());
  return decode.call(this, event);
};

/** How @colyseus/schema writes a short string (a map key, a seed): a fixstr header and UTF-8. */
function encodedString(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  assert.ok(bytes.length < 32);
  return Buffer.concat([Buffer.from([0xa0 | bytes.length]), bytes]);
}
const anyFrameHolds = (frames: Uint8Array[], needle: Buffer) => frames.some((frame) => Buffer.from(frame).includes(needle));

describe('private state: per-client views and the audit trail', () => {
  const { sdk, openRooms } = roomTestServer(SERVER_SETTINGS);

  /** Joins, and records the decoded state after every patch and every frame received. */
  async function join(sessionId: string, clientId: string, spectator = false) {
    const room = await sdk.joinOrCreate('labyrinth', { sessionId, clientId, name: clientId.toUpperCase(), spectator });
    openRooms.push(room);
    const snapshots: Snapshot[] = [];
    const record = (state: LabyrinthState) =>
      snapshots.push({
        phase: state.phase,
        seed: state.seed,
        revealed: [...(state.revealed?.keys() ?? [])],
        positions: new Map([...state.players.entries()].map(([id, player]) => [id, player.x === undefined ? undefined : { x: player.x, y: player.y }])),
      });
    room.onStateChange((state) => record(state));
    return { room, clientId, snapshots, state: () => room.state, frames: () => framesOf.get(room) ?? [] };
  }
  type Bot = Awaited<ReturnType<typeof join>>;

  /** One step, confirmed in the mover's own state (its own position is always in its view). */
  async function step(bot: Bot, dir: Direction, to: Cell): Promise<void> {
    bot.room.send('move', { dir });
    await waitFor(
      () => {
        const me = bot.state().players.get(bot.clientId);
        return me?.x === to.x && me.y === to.y;
      },
      `${bot.clientId} at ${cellKey(to)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, MOVE_COOLDOWN_MS + 10));
  }

  /**
   * Two bots play a round: bob wanders off towards the far corner while alice walks to the exit,
   * one step each in turn; carol watches, and dave starts watching once the round is under way
   * (spectators share one view: he gets what it already holds). Returns the bots and the maze.
   */
  async function playRound(fog: 'team' | 'player', spectatorView: 'everything' | 'after_round') {
    const created = await request('POST', '/api/sessions', { json: { size: SIZE, seed: SEED, fog, spectatorView } });
    assert.equal(created.status, 201);
    const sessionId: string = created.body.id;
    const maze = generateMaze(SIZE, SEED);
    const alice = await join(sessionId, 'alice');
    const bob = await join(sessionId, 'bob');
    const carol = await join(sessionId, 'carol', true);
    alice.room.send('ready', { ready: true });
    bob.room.send('ready', { ready: true });
    await waitFor(() => alice.state().phase === 'playing' && bob.state().phase === 'playing', 'the round to start');
    const dave = await join(sessionId, 'dave', true);

    const start = { x: maze.startX, y: maze.startY };
    const far = { x: maze.exit.x < SIZE / 2 ? SIZE - 1 : 0, y: maze.exit.y < SIZE / 2 ? SIZE - 1 : 0 };
    const routes = [
      { bot: alice, path: pathBetween(maze, start, maze.exit), at: start },
      { bot: bob, path: pathBetween(maze, start, far).slice(0, 12), at: start },
    ];
    while (routes[0]!.path.length > 0) {
      for (const route of routes) {
        const dir = route.path.shift();
        if (!dir) continue;
        route.at = nextCell(maze, route.at, dir);
        await step(route.bot, dir, route.at);
      }
    }
    await waitFor(() => [alice, bob, carol, dave].every((bot) => bot.state().phase === 'finished'), 'everyone to see the finish');
    return { sessionId, maze, alice, bob, carol, dave };
  }

  it('gives each player of a `player` fog session only the tiles it saw and the players it sees, and nobody the seed before the end', async () => {
    const { sessionId, maze, alice, bob, carol, dave } = await playRound('player', 'after_round');
    const events = await readAuditTrail(sessionId, { admin: false });
    const seen = { alice: seenBy(maze, events, 'alice'), bob: seenBy(maze, events, 'bob') };
    assert.ok(
      [...seen.alice].some((key) => !seen.bob.has(key)),
      'alice saw tiles bob did not (or the test shows nothing)',
    );

    for (const bot of [alice, bob]) {
      const mine = seen[bot.clientId as 'alice' | 'bob'];
      const during = bot.snapshots.filter((snapshot) => snapshot.phase !== 'finished');
      let hiddenOnce = false;
      for (const snapshot of during) {
        assert.equal(snapshot.seed, '', `${bot.clientId} got the seed during the round`);
        for (const key of snapshot.revealed) assert.ok(mine.has(key), `${bot.clientId} was sent tile ${key}, which it never saw`);
        const own = snapshot.positions.get(bot.clientId);
        assert.ok(own, `${bot.clientId} always knows where it stands`);
        for (const [clientId, position] of snapshot.positions) {
          if (clientId === bot.clientId) continue;
          if (!position) hiddenOnce = true;
          else if (snapshot.phase === 'playing') {
            const visible = cellsSeenFrom(maze, own).some((cell) => cell.x === position.x && cell.y === position.y);
            assert.ok(visible, `${bot.clientId} at ${cellKey(own)} was told ${clientId} stands on ${cellKey(position)}, out of its sight`);
          }
        }
      }
      assert.ok(hiddenOnce, `${bot.clientId} lost sight of the other player at some point`);

      // On the wire: the frames received before the finish hold neither the seed nor the key of a
      // tile this player never saw, and do hold the key of every tile it saw (so the search works).
      const finishedAt = bot.snapshots.findIndex((snapshot) => snapshot.phase === 'finished');
      const frames = bot.frames();
      const beforeFinish = frames.slice(
        0,
        frames.findIndex((frame) => Buffer.from(frame).includes(encodedString('finished'))),
      );
      assert.ok(finishedAt > 0 && beforeFinish.length > 0);
      assert.equal(anyFrameHolds(beforeFinish, encodedString(SEED)), false, 'the seed went over the wire during the round');
      for (const tile of maze.tiles) {
        const key = cellKey(tile);
        assert.equal(anyFrameHolds(beforeFinish, encodedString(key)), mine.has(key), `tile ${key} on ${bot.clientId}'s wire`);
      }
    }

    // The spectators of an `after_round` session see no tile and no position until the end.
    for (const spectator of [carol, dave]) {
      for (const snapshot of spectator.snapshots.filter((s) => s.phase === 'playing')) {
        assert.deepEqual(snapshot.revealed, []);
        assert.ok([...snapshot.positions.values()].every((position) => position === undefined));
      }
    }
    // Once finished, everyone knows everything: the seed, every tile the team saw, where all stand.
    const team = new Set([...seen.alice, ...seen.bob]);
    for (const bot of [alice, bob, carol, dave]) {
      await waitFor(() => bot.state().revealed?.size === team.size, `${bot.clientId} to see the whole team's tiles`);
      assert.equal(bot.state().seed, SEED);
      assert.ok([...bot.state().players.values()].every((player) => player.x !== undefined));
    }
  });

  it("sends every player the whole team's tiles in a `team` fog session (the check above can fail)", async () => {
    const { sessionId, maze, bob } = await playRound('team', 'everything');
    const seenByBob = seenBy(maze, await readAuditTrail(sessionId, { admin: false }), 'bob');
    const during = bob.snapshots.filter((snapshot) => snapshot.phase === 'playing');
    assert.ok(during.some((snapshot) => snapshot.revealed.some((key) => !seenByBob.has(key))));
  });

  it('keeps the seed, the maze and the trail from non-admins during play, publishes them after, and the replay equals the stored result', async () => {
    const created = await request('POST', '/api/sessions', { json: { size: SIZE, seed: SEED, fog: 'player' } });
    const sessionId: string = created.body.id;
    assert.equal(created.body.seed, null);
    const early = await join(sessionId, 'early');
    await waitFor(async () => (await readAuditTrail(sessionId, { admin: true })).length > 0, 'the join in the trail');
    const hidden = async () => {
      assert.equal((await request('GET', `/api/sessions/${sessionId}`)).body.seed, null);
      assert.equal((await request('GET', '/api/sessions')).body.sessions[0].seed, null);
      const maze = await request('GET', `/api/sessions/${sessionId}/labyrinth`);
      assert.deepEqual([maze.status, maze.body.error.code], [403, 'maze_hidden']);
      assert.equal((await request('GET', '/api/game_sessions/client_state/early')).body.session_details.seed, '');
      assert.equal((await request('GET', '/game-sessions')).body[0].seed, '');
      assert.deepEqual(await readAuditTrail(sessionId, { admin: false }), []);
      // Admins see it all at any time.
      assert.equal((await request('GET', `/api/sessions/${sessionId}`, { admin: true })).body.seed, SEED);
      assert.equal((await request('GET', `/api/sessions/${sessionId}/labyrinth`, { admin: true })).status, 200);
    };
    await hidden();
    await early.room.leave(true);

    await request('DELETE', `/api/sessions/${sessionId}`, { admin: true });
    const { sessionId: played, alice } = await playRound('player', 'everything');
    assert.equal((await request('GET', `/api/sessions/${played}`)).body.seed, SEED);
    assert.equal((await request('GET', `/api/game_sessions/client_state/alice`)).body.session_details.seed, SEED);
    const labyrinth = await request('GET', `/api/sessions/${played}/labyrinth`);
    assert.equal(labyrinth.status, 200);

    // The round, replayed from its published events alone, ends exactly as the database says.
    const events = await readAuditTrail(played, { admin: false });
    assert.deepEqual(
      events.map((event) => event.seq),
      events.map((_, index) => index + 1),
    );
    const replay = replayRound(events);
    const stored = await waitFor(async () => {
      const snapshot = await new SessionService(await testDatabase()).loadSnapshot(played);
      return snapshot.winner && snapshot;
    }, 'the result in the database');
    assert.equal(replay.winner, stored.winner?.clientId);
    assert.equal(replay.winner, 'alice');
    assert.equal(replay.durationMs, stored.finishedAt!.getTime() - stored.startedAt!.getTime());
    assert.deepEqual(
      new Map([...replay.positions].map(([clientId, cell]) => [clientId, cellKey(cell)])),
      new Map(stored.players.map((player) => [player.clientId, cellKey(player)])),
    );
    const revealedTiles = labyrinth.body.tiles.filter((tile: { revealed: boolean }) => tile.revealed).map(cellKey);
    assert.deepEqual([...replay.revealed].sort(), revealedTiles.sort());
    assert.deepEqual(replay.positions.get('alice'), generateMaze(SIZE, SEED).exit);
    assert.equal(alice.state().winner, 'alice');
  });
});

function nextCell(maze: Maze, cell: Cell, dir: Direction): Cell {
  const move = tryMove(maze, cell, dir);
  assert.ok(move.ok, `${dir} from ${cellKey(cell)}`);
  return move.to;
}

/** Every cell a player saw in the trail's last round: from the start, and from each cell it stepped on. */
function seenBy(maze: Maze, events: LogEntry[], clientId: string): Set<string> {
  const started = events.findLast((event) => event.type === 'round_started')!;
  const stoodOn = [(started.data as { start: Cell }).start];
  for (const event of events) {
    if (event.seq > started.seq && event.type === 'player_moved' && event.actor === clientId) stoodOn.push((event.data as { to: Cell }).to);
  }
  return new Set(stoodOn.flatMap((cell) => cellsSeenFrom(maze, cell).map(cellKey)));
}
