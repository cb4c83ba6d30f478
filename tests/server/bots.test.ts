import assert from 'node:assert/strict';
import { matchMaker } from '@colyseus/core';
import { cellKey } from '../../src/game/fogOfWar.ts';
import { tryMove, type Cell } from '../../src/game/moveRules.ts';
import { replayRound } from '../../src/game/roundLog.ts';
import { generateMaze } from '../../src/maze/generateMaze.ts';
import { SessionService } from '../../src/sessions/SessionService.ts';
import { request } from '../support/httpClient.ts';
import { readAuditTrail } from '../support/auditTrail.ts';
import { pathBetween } from '../support/pathBetween.ts';
import { countRows, roomTestServer, testDatabase } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';

const MOVE_COOLDOWN_MS = 60;
// Bots far quicker than a person's pace (550 ms), so that rounds end within a test's patience.
const SERVER_SETTINGS = { COUNTDOWN_SECONDS: '0.2', MOVE_COOLDOWN_MS: String(MOVE_COOLDOWN_MS), BOT_STEP_MS: '70' };
const BOT_IDS = ['bot-1', 'bot-2', 'bot-3'];

describe('bots that fill seats', () => {
  const { sdk, openRooms } = roomTestServer(SERVER_SETTINGS);

  async function createSession(body: Record<string, unknown>): Promise<{ id: string; seed: string; size: number }> {
    const created = await request('POST', '/api/sessions', { json: body, admin: true });
    assert.equal(created.status, 201);
    return created.body;
  }

  async function join(sessionId: string, clientId: string, spectator = false) {
    const room = await sdk.joinOrCreate('labyrinth', { sessionId, clientId, spectator });
    openRooms.push(room);
    await waitFor(() => room.state.players, 'the first state');
    return { room, state: () => room.state };
  }

  const roomIsGone = async (sessionId: string) => (await matchMaker.query({ name: 'labyrinth', roomId: sessionId })).length === 0;

  it('seats bots that are always ready: a round starts when the person is, bots explore, someone wins, and the replay agrees', async () => {
    const session = await createSession({ size: 6, fog: 'team', bots: 3 });
    const hana = await join(session.id, 'hana');
    await waitFor(() => hana.state().players.size === 4, 'the bots in the state');
    for (const [index, clientId] of BOT_IDS.entries()) {
      const bot = hana.state().players.get(clientId)!;
      assert.deepEqual(
        { name: bot.name, ready: bot.ready, bot: bot.bot, connected: bot.connected },
        { name: `Bot ${index + 1}`, ready: true, bot: true, connected: false },
      );
    }
    assert.equal(hana.state().players.get('hana')!.bot, false);
    assert.equal(hana.state().allReady, false, 'the bots alone are not everyone');
    const listed = (await request('GET', '/api/sessions')).body.sessions[0];
    assert.deepEqual(listed.live && { players: listed.live.players, bots: listed.live.bots, connected: listed.live.connected }, {
      players: 4,
      bots: 3,
      connected: 1,
    });

    hana.room.send('ready', { ready: true });
    await waitFor(() => hana.state().phase === 'playing', 'the round to start');
    const start = { x: generateMaze(session.size, session.seed).startX, y: generateMaze(session.size, session.seed).startY };
    await waitFor(() => BOT_IDS.some((clientId) => cellKey(hana.state().players.get(clientId) as Cell) !== cellKey(start)), 'a bot to move in the state');

    // The person walks the solution (read with admin credentials) while the bots explore: whoever arrives first wins.
    const maze = generateMaze(session.size, session.seed);
    let at: Cell = start;
    for (const dir of pathBetween(maze, start, maze.exit)) {
      if (hana.state().phase !== 'playing') break;
      hana.room.send('move', { dir });
      const move = tryMove(maze, at, dir);
      assert.ok(move.ok);
      at = move.to;
      await waitFor(() => hana.state().phase === 'finished' || cellKey(hana.state().players.get('hana') as Cell) === cellKey(at), 'hana to step');
      await new Promise((resolve) => setTimeout(resolve, MOVE_COOLDOWN_MS + 10));
    }
    await waitFor(() => hana.state().phase === 'finished', 'the round to finish');

    const events = await waitFor(async () => {
      const entries = await readAuditTrail(session.id, { admin: true });
      return entries.some((entry) => entry.type === 'round_finished') ? entries : undefined;
    }, 'the finish in the trail');
    const botMoves = events.filter((entry) => entry.type === 'player_moved' && BOT_IDS.includes(entry.actor ?? ''));
    assert.ok(botMoves.length >= 3, `the bots' moves are in the trail (${botMoves.length})`);
    for (const clientId of BOT_IDS) {
      const times = botMoves.filter((entry) => entry.actor === clientId).map((entry) => entry.at);
      for (const [index, time] of times.entries()) {
        if (index > 0) assert.ok(time - times[index - 1]! >= MOVE_COOLDOWN_MS, `${clientId} kept the move cooldown`);
      }
    }
    const replay = replayRound(events);
    const stored = await new SessionService(await testDatabase()).loadSnapshot(session.id);
    assert.equal(replay.winner, hana.state().winner);
    assert.equal(replay.winner, stored.winner?.clientId);
    assert.equal(replay.durationMs, stored.finishedAt!.getTime() - stored.startedAt!.getTime());
    assert.deepEqual(
      new Map([...replay.positions].map(([clientId, cell]) => [clientId, cellKey(cell)])),
      new Map(stored.players.map((player) => [player.clientId, cellKey(player)])),
    );

    // A new round keeps the bots seated and ready, and waits for the person again.
    const before = events.length;
    hana.room.send('new_round', {});
    await waitFor(() => hana.state().phase === 'lobby', 'the new round');
    const bots = BOT_IDS.map((clientId) => hana.state().players.get(clientId));
    assert.ok(bots.every((bot) => bot?.ready === true && bot.bot));
    assert.equal(hana.state().players.get('hana')!.ready, false);
    assert.equal(hana.state().allReady, false);
    const readied = await waitFor(async () => {
      const entries = (await readAuditTrail(session.id, { admin: true })).slice(before);
      return entries.filter((entry) => entry.type === 'ready_changed').length === 3 ? entries : undefined;
    }, 'the bots getting ready in the trail');
    assert.deepEqual(
      readied.filter((entry) => entry.type === 'ready_changed').map((entry) => [entry.actor, entry.data.ready]),
      BOT_IDS.map((clientId) => [clientId, true]),
    );
    const reloaded = await new SessionService(await testDatabase()).loadSnapshot(session.id);
    assert.ok(reloaded.players.filter((player) => BOT_IDS.includes(player.clientId)).every((player) => player.ready));
  });

  it('never keeps a room alive: the last person leaving mid-round disposes it and stops the bots; the rebuilt room plays them on', async () => {
    const session = await createSession({ size: 12, fog: 'player', bots: 2 });
    const hana = await join(session.id, 'hana');
    hana.room.send('ready', { ready: true });
    await waitFor(
      async () => (await readAuditTrail(session.id, { admin: true })).filter((entry) => entry.type === 'player_moved').length >= 2,
      'the bots to move',
    );
    await hana.room.leave(true);
    await waitFor(() => roomIsGone(session.id), 'the room to be disposed');
    const listed = (await request('GET', '/api/sessions')).body.sessions[0];
    assert.equal(listed.live, null);
    const movesWhenGone = (await readAuditTrail(session.id, { admin: true })).length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal((await readAuditTrail(session.id, { admin: true })).length, movesWhenGone, 'no bot moved in a disposed room');

    // The next join rebuilds the room from the database, mid-round, with its bots (the newcomer watches).
    const watcher = await join(session.id, 'wren');
    await waitFor(() => watcher.state().players.size === 2, 'the bots back in the state');
    assert.ok([...watcher.state().players.values()].every((player) => player.bot && player.ready));
    assert.equal(watcher.state().phase, 'playing');
    await waitFor(async () => (await readAuditTrail(session.id, { admin: true })).length > movesWhenGone + 2, 'the bots to play on');
  });

  it('lets bots alone finish a round on a small maze (player fog), but never start one without a person', async () => {
    const idle = await createSession({ size: 4, bots: 3 });
    const watcher = await join(idle.id, 'wanda', true);
    await waitFor(() => watcher.state().players.size === 3, 'the bots in the state');
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.deepEqual([watcher.state().phase, watcher.state().allReady], ['lobby', false], 'bots and a spectator never start a round');
    await watcher.room.leave(true);

    const session = await createSession({ size: 4, fog: 'player', bots: 2 });
    const hana = await join(session.id, 'hana');
    hana.room.send('ready', { ready: true });
    await waitFor(() => hana.state().phase === 'finished', 'a bot to reach the exit', 15_000);
    assert.match(hana.state().winner, /^bot-[12]$/);
    const events = await waitFor(async () => {
      const entries = await readAuditTrail(session.id, { admin: true });
      return entries.some((entry) => entry.type === 'round_finished') ? entries : undefined;
    }, 'the finish in the trail');
    assert.equal(replayRound(events).winner, hana.state().winner);
  });

  it('refuses a bad `bots` with a 422 naming it, and creates nothing', async () => {
    for (const bots of [9, 8, -1, 'x', 1.5, null]) {
      const answer = await request('POST', '/api/sessions', { json: { size: 6, bots } });
      assert.equal(answer.status, 422, `bots: ${JSON.stringify(bots)}`);
      assert.equal(answer.body.error.field, 'bots');
      assert.match(answer.body.error.message, /^bots: /);
    }
    assert.equal(await countRows('labyrinth'), 0);
    assert.equal((await request('GET', '/api/sessions')).body.total, 0);
  });

  it('keeps the bot- clientIds for bots: a client claiming one is refused, naming why', async () => {
    const session = await createSession({ size: 6, bots: 1 });
    await assert.rejects(sdk.joinOrCreate('labyrinth', { sessionId: session.id, clientId: 'bot-1' }), (error: Error & { code?: number }) => {
      assert.equal(error.code, 400);
      assert.match(error.message, /reserved for the server's bots/);
      return true;
    });
    const legacy = await request('POST', `/api/game_sessions/${session.id}/join`, { json: { client_id: 'bot-2' } });
    assert.equal(legacy.status, 422);
    assert.match(JSON.stringify(legacy.body), /reserved for the server's bots/);
  });
});
