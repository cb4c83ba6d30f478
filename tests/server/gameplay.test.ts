import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { matchMaker } from '@colyseus/core';
import type { ColyseusTestServer } from '@colyseus/testing';
import type { ChatBroadcast, RoomErrorMessage } from '../../rooms/labyrinthProtocol.ts';
import type { LabyrinthRoomMetadata } from '../../rooms/roomListing.ts';
import { cellKey, cellsSeenFrom } from '../../src/game/fogOfWar.ts';
import { tryMove, type Cell } from '../../src/game/moveRules.ts';
import { DIRECTIONS, type Direction } from '../../src/maze/directions.ts';
import { generateMaze, type Maze } from '../../src/maze/generateMaze.ts';
import { closeAllDatabases } from '../../src/database/openDatabase.ts';
import { SessionService } from '../../src/sessions/SessionService.ts';
import { request } from '../support/httpClient.ts';
import { labyrinthClient, sendUnchecked, whoami, type LabyrinthRoom } from '../support/labyrinthClient.ts';
import { pathBetween } from '../support/pathBetween.ts';
import { bootTestServer, leaveOpenRooms, resetTestDatabase, TEST_BASE_URL, testDatabase } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';

const MOVE_COOLDOWN_MS = 60;
const SERVER_SETTINGS = { COUNTDOWN_SECONDS: '0.2', MOVE_COOLDOWN_MS: String(MOVE_COOLDOWN_MS) };

/** The session as the database holds it (what a rebuilt room would start from). */
async function storedSession(sessionId: string) {
  return new SessionService(await testDatabase()).loadSnapshot(sessionId);
}

describe('gameplay', () => {
  let server: ColyseusTestServer;
  const sdk = labyrinthClient(TEST_BASE_URL);
  const openRooms: LabyrinthRoom[] = [];
  let playable: { id: string; name: string; role: string }[];

  before(async () => {
    await resetTestDatabase();
    server = await bootTestServer(SERVER_SETTINGS);
    playable = (await request('GET', '/api/entities?type=player')).body.entities;
  });
  after(async () => {
    await server.shutdown();
  });
  afterEach(async () => {
    await leaveOpenRooms(openRooms);
    await resetTestDatabase();
  });

  async function createSession(size: number, seed: string): Promise<{ id: string; maze: Maze }> {
    const response = await request('POST', '/api/sessions', { json: { size, seed } });
    assert.equal(response.status, 201);
    return { id: response.body.id, maze: generateMaze(size, seed) };
  }

  /** Joins and records every `error` and `chat` message the client receives. */
  async function join(sessionId: string, clientId: string, extra: Record<string, unknown> = {}) {
    const room = await sdk.joinOrCreate('labyrinth', { sessionId, clientId, name: clientId.toUpperCase(), ...extra });
    openRooms.push(room);
    const errors: RoomErrorMessage[] = [];
    const chat: ChatBroadcast[] = [];
    room.onMessage('error', (error) => errors.push(error));
    room.onMessage('chat', (line) => chat.push(line));
    return { room, errors, chat, state: () => room.state };
  }

  async function expectError(player: Awaited<ReturnType<typeof join>>, send: () => void, code: string): Promise<void> {
    const before = player.errors.length;
    send();
    const error = await waitFor(() => player.errors[before], `error ${code}`);
    assert.equal(error.code, code, error.message);
  }

  async function startPlaying(players: Awaited<ReturnType<typeof join>>[]): Promise<void> {
    for (const player of players) player.room.send('ready', { ready: true });
    await waitFor(() => players[0]!.state().phase === 'playing', 'the round to start');
  }

  /** Moves one step and waits until the state shows it, then past the cooldown. */
  async function step(player: Awaited<ReturnType<typeof join>>, clientId: string, direction: Direction, expected: Cell) {
    player.room.send('move', { dir: direction });
    await waitFor(
      () => {
        const me = player.state().players.get(clientId);
        return me?.x === expected.x && me.y === expected.y;
      },
      `${clientId} at ${cellKey(expected)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, MOVE_COOLDOWN_MS + 10));
  }

  it('plays a full game on a fixed seed: characters, countdown, moves, the winner, a new round', async () => {
    const { id, maze } = await createSession(5, 'full-game');
    const alice = await join(id, 'alice');
    const bob = await join(id, 'bob');
    const [first, second] = playable;
    assert.ok(first && second, 'two playable characters are seeded');

    alice.room.send('pick_character', { entityId: first.id });
    await waitFor(() => bob.state().players?.get('alice')?.characterId === first.id, 'bob to see alice’s character');
    assert.equal(bob.state().players.get('alice')?.characterName, first.name);
    assert.equal(bob.state().players.get('alice')?.characterRole, first.role ?? '');
    await expectError(bob, () => bob.room.send('pick_character', { entityId: first.id }), 'character_taken');
    await expectError(bob, () => bob.room.send('pick_character', { entityId: 'foe_does_not_exist' }), 'unknown_character');
    bob.room.send('pick_character', { entityId: second.id });
    await waitFor(() => alice.state().players.get('bob')?.characterId === second.id, 'bob’s character');

    alice.room.send('ready', { ready: true });
    bob.room.send('ready', { ready: true });
    await waitFor(() => alice.state().phase === 'countdown', 'the countdown');
    assert.ok(alice.state().countdownEndsAt > Date.now() - 1000);
    await waitFor(() => alice.state().phase === 'playing', 'the round to start');
    assert.ok(alice.state().startedAt > 0);
    for (const player of alice.state().players.values()) {
      assert.deepEqual([player.x, player.y], [maze.startX, maze.startY]);
    }

    const path = pathBetween(maze, { x: maze.startX, y: maze.startY }, maze.exit);
    assert.ok(path.length > 0);
    let position: Cell = { x: maze.startX, y: maze.startY };
    for (const direction of path) {
      const move = tryMove(maze, position, direction);
      assert.ok(move.ok);
      position = move.to;
      await step(alice, 'alice', direction, position);
    }
    await waitFor(() => bob.state().phase === 'finished', 'the round to finish');
    assert.equal(bob.state().winner, 'alice');
    assert.equal(bob.state().winnerName, 'ALICE');
    assert.ok(bob.state().finishedAt >= bob.state().startedAt);
    assert.equal(bob.state().revealed.get(cellKey(maze.exit))?.exit, true);
    await expectError(bob, () => bob.room.send('move', { dir: 'N' }), 'wrong_phase');
    const stored = await waitFor(async () => (await storedSession(id)).winner, 'the result in the database');
    assert.deepEqual(stored, { clientId: 'alice', name: 'ALICE' });

    // The finished round publishes its seed; the next maze's stays secret until that round ends.
    assert.equal(bob.state().seed, maze.seed);
    bob.room.send('new_round', {});
    await waitFor(() => alice.state().phase === 'lobby' && alice.state().round === 2, 'a new round in the lobby');
    assert.equal(alice.state().seed, '');
    assert.equal(alice.state().revealed.size, 0);
    assert.equal(alice.state().winner, '');
    // The room shows the new round at once and the writer stores it a moment later (at once, but
    // not before the state): until then the session still plays the finished, published maze.
    await waitFor(async () => (await request('GET', `/api/sessions/${id}/labyrinth`)).status === 403, 'the new maze hidden over HTTP');
    const labyrinth = await request('GET', `/api/sessions/${id}/labyrinth`, { admin: true });
    assert.notEqual(labyrinth.body.seed, maze.seed);
    for (const player of alice.state().players.values()) {
      assert.deepEqual([player.x, player.y, player.ready], [alice.state().startX, alice.state().startY, false]);
    }
    assert.equal(alice.state().players.get('alice')?.characterId, first.id, 'characters are kept');
  });

  it('counts rounds in the REST session and the room listing, so a client knows when one has finished and replays', async () => {
    const { id, maze } = await createSession(4, 'round-count');
    const alice = await join(id, 'alice');
    const roundOf = async () => {
      const [listing] = await matchMaker.query({ roomId: id });
      const session = (await request('GET', `/api/sessions/${id}`)).body as { round: number; phase: string };
      return { listed: (listing?.metadata as LabyrinthRoomMetadata | undefined)?.round, stored: session.round, phase: session.phase };
    };
    assert.deepEqual(await roundOf(), { listed: 1, stored: 1, phase: 'lobby' });

    await startPlaying([alice]);
    let position: Cell = { x: maze.startX, y: maze.startY };
    for (const direction of pathBetween(maze, position, maze.exit)) {
      const move = tryMove(maze, position, direction);
      assert.ok(move.ok);
      position = move.to;
      await step(alice, 'alice', direction, position);
    }
    await waitFor(async () => (await roundOf()).phase === 'finished', 'the finished round stored');
    alice.room.send('new_round', {});
    await waitFor(async () => {
      const now = await roundOf();
      return now.listed === 2 && now.stored === 2 && now.phase === 'lobby';
    }, 'round 2 listed and stored');
  });

  it('refuses every wrong move with a code and changes nothing', async () => {
    const { id, maze } = await createSession(6, 'refusals');
    const carol = await join(id, 'carol');
    await expectError(carol, () => carol.room.send('move', { dir: 'N' }), 'wrong_phase');
    await expectError(carol, () => sendUnchecked(carol.room, 'move', { dir: 'up' }), 'invalid_message');
    await startPlaying([carol]);

    const start = { x: maze.startX, y: maze.startY };
    const startTile = maze.tiles[start.y * maze.size + start.x]!;
    for (const direction of DIRECTIONS.filter((candidate) => !startTile.openDirections.includes(candidate))) {
      const expected = tryMove(maze, start, direction);
      assert.ok(!expected.ok);
      await expectError(carol, () => carol.room.send('move', { dir: direction }), expected.reason);
    }
    const open = startTile.openDirections[0]!;
    const back = { N: 'S', S: 'N', E: 'W', W: 'E' }[open] as Direction;
    carol.room.send('move', { dir: open });
    await expectError(carol, () => carol.room.send('move', { dir: back }), 'too_fast');
    const target = tryMove(maze, start, open);
    assert.ok(target.ok);
    await waitFor(() => carol.state().players.get('carol')?.x === target.to.x && carol.state().players.get('carol')?.y === target.to.y, 'one step only');
    await new Promise((resolve) => setTimeout(resolve, MOVE_COOLDOWN_MS * 2));
    const me = carol.state().players.get('carol')!;
    assert.deepEqual([me.x, me.y], [target.to.x, target.to.y], 'the refused move changed nothing');
  });

  it('never sends a tile nobody has seen (fog of war), and persists what was seen', async () => {
    const { id, maze } = await createSession(8, 'fog');
    const dave = await join(id, 'dave');
    const watcher = await join(id, 'eve', { spectator: true });
    const everSent = new Set<string>();
    const record = () => {
      for (const key of dave.state().revealed?.keys() ?? []) everSent.add(key);
      for (const key of watcher.state().revealed?.keys() ?? []) everSent.add(key);
    };
    record();
    assert.equal(everSent.size, 0, 'nothing is revealed in the lobby');
    await startPlaying([dave]);

    const allowed = new Set<string>();
    let position: Cell = { x: maze.startX, y: maze.startY };
    for (const cell of cellsSeenFrom(maze, position)) allowed.add(cellKey(cell));
    const path = pathBetween(maze, position, maze.exit).slice(0, 6);
    for (const direction of path) {
      const move = tryMove(maze, position, direction);
      assert.ok(move.ok);
      position = move.to;
      for (const cell of cellsSeenFrom(maze, position)) allowed.add(cellKey(cell));
      await step(dave, 'dave', direction, position);
      record();
    }
    await waitFor(() => dave.state().revealed.size === allowed.size, 'every seen tile revealed');
    record();
    for (const key of everSent) assert.ok(allowed.has(key), `tile ${key} was sent before anyone saw it`);
    assert.ok(everSent.size < maze.size * maze.size);
    const tile = dave.state().revealed.get(cellKey(position))!;
    assert.deepEqual([...tile.openDirections], maze.tiles[position.y * maze.size + position.x]!.openDirections);

    const stored = await waitFor(async () => {
      const labyrinth = await request('GET', `/api/sessions/${id}/labyrinth`, { admin: true });
      const revealed = labyrinth.body.tiles.filter((candidate: { revealed: boolean }) => candidate.revealed);
      return revealed.length === allowed.size && revealed;
    }, 'revealed flags in the database');
    assert.deepEqual(new Set(stored.map(cellKey)), allowed);
  });

  it('broadcasts chat, keeps the last lines for newcomers, and enforces its limits', async () => {
    const { id } = await createSession(4, 'chat');
    const frank = await join(id, 'frank');
    const gina = await join(id, 'gina');
    frank.room.send('chat', { text: '  hello there  ' });
    const line = await waitFor(() => gina.chat[0], 'gina to hear frank');
    assert.deepEqual({ from: line.from, text: line.text }, { from: 'frank', text: 'hello there' });

    await expectError(frank, () => frank.room.send('chat', { text: '   ' }), 'chat_empty');
    await expectError(frank, () => frank.room.send('chat', { text: 'x'.repeat(201) }), 'chat_too_long');
    await expectError(frank, () => sendUnchecked(frank.room, 'chat', { words: 'no' }), 'invalid_message');
    gina.room.send('chat', { text: 'y'.repeat(200) });
    await waitFor(() => frank.chat.some((chat) => chat.text.length === 200), 'a 200-character line');

    const errorsBefore = gina.errors.length;
    for (let index = 0; index < 6; index++) gina.room.send('chat', { text: `burst ${index}` });
    await waitFor(() => gina.errors.length > errorsBefore, 'the rate limit');
    assert.equal(gina.errors.at(-1)?.code, 'chat_rate_limited');

    const late = await join(id, 'hank');
    await waitFor(() => late.state().chat?.length >= 3, 'the history for a newcomer');
    assert.equal(late.state().chat[0]?.text, 'hello there');
  });

  it('lets spectators watch but not ready, pick or move, and makes late joiners spectators', async () => {
    const { id } = await createSession(5, 'spectators');
    const ivy = await join(id, 'ivy');
    const jack = await join(id, 'jack', { spectator: true });
    const welcome = await whoami(jack.room);
    assert.equal(welcome.spectator, true);
    await waitFor(() => ivy.state().spectators.size === 1, 'ivy to see the spectator');
    assert.equal(ivy.state().players.has('jack'), false);

    await expectError(jack, () => jack.room.send('ready', { ready: true }), 'spectator');
    await expectError(jack, () => jack.room.send('pick_character', { entityId: playable[0]!.id }), 'spectator');
    ivy.room.send('ready', { ready: true });
    await waitFor(() => jack.state().phase === 'playing', 'spectators do not hold up allReady');
    await expectError(jack, () => jack.room.send('move', { dir: 'N' }), 'spectator');

    const late = await join(id, `late-${randomUUID().slice(0, 8)}`);
    const lateWelcome = await whoami(late.room);
    assert.equal(lateWelcome.spectator, true, 'joining during play makes a spectator');
    await waitFor(() => ivy.state().spectators.size === 2, 'two spectators');
  });

  it('resumes a round after a server restart with positions and the fog as they were', async () => {
    const { id, maze } = await createSession(6, 'resume');
    const kim = await join(id, 'kim');
    const { clientToken } = await whoami(kim.room);
    await startPlaying([kim]);
    const direction = pathBetween(maze, { x: maze.startX, y: maze.startY }, maze.exit)[0]!;
    const move = tryMove(maze, { x: maze.startX, y: maze.startY }, direction);
    assert.ok(move.ok);
    await step(kim, 'kim', direction, move.to);
    const revealedBefore = new Set(kim.state().revealed.keys());
    await waitFor(async () => {
      const labyrinth = await request('GET', `/api/sessions/${id}/labyrinth`, { admin: true });
      return labyrinth.body.tiles.filter((tile: { revealed: boolean }) => tile.revealed).length === revealedBefore.size;
    }, 'the fog to be saved');

    kim.room.reconnection.enabled = false;
    await server.shutdown();
    await closeAllDatabases();
    server = await bootTestServer(SERVER_SETTINGS);

    const back = await join(id, 'kim', { clientToken });
    await waitFor(() => back.state().phase === 'playing', 'the round to resume');
    const me = back.state().players.get('kim')!;
    assert.deepEqual([me.x, me.y], [move.to.x, move.to.y]);
    assert.deepEqual(new Set(back.state().revealed.keys()), revealedBefore);
  });
});
