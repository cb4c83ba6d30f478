import assert from 'node:assert/strict';
import { MatchMakeError } from '@colyseus/sdk';
import type { ClientLimits, WelcomeMessage, RoomErrorMessage } from '../../rooms/labyrinthProtocol.ts';
import { closeAllDatabases } from '../../src/database/openDatabase.ts';
import { joinRefusalCode } from '../../src/domainErrors.ts';
import { tryMove } from '../../src/game/moveRules.ts';
import { DIRECTIONS } from '../../src/maze/directions.ts';
import { generateMaze } from '../../src/maze/generateMaze.ts';
import { request } from '../support/httpClient.ts';
import { roomTestServer } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';
import { sendUnchecked, whoami } from '../support/labyrinthClient.ts';

// What the room protocol tells a client written from docs/protocol.md alone, through the real SDK:
// a misspelt message type is answered, not cut off; the limits to pace itself by are in the
// `whoami` answer and are the ones enforced; a refused join names its reason in a field the SDK
// passes on; join codes work in either case.

const METRICS_TOKEN = 'metrics-token-for-tests';
/** Long enough that a second move sent at once is always too fast, however late the server runs. */
const MOVE_COOLDOWN_MS = 5000;

describe('what the protocol tells a client', () => {
  const { sdk, openRooms } = roomTestServer({ METRICS_TOKEN, MOVE_COOLDOWN_MS: String(MOVE_COOLDOWN_MS), COUNTDOWN_SECONDS: '0.1' });
  after(async () => {
    await closeAllDatabases();
  });

  async function createSession(body: Record<string, unknown> = {}): Promise<{ id: string; code: string | null }> {
    const response = await request('POST', '/api/sessions', { json: { size: 6, ...body } });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  }

  /** Joins and records every `error` the client receives and how its socket closed. */
  async function join(options: Record<string, unknown>) {
    const room = await sdk.joinOrCreate('labyrinth', options);
    openRooms.push(room);
    const errors: RoomErrorMessage[] = [];
    const closes: number[] = [];
    room.onMessage('error', (error: RoomErrorMessage) => errors.push(error));
    room.onMessage('chat', () => undefined);
    room.onLeave((code) => closes.push(code));
    return { room, errors, closes, state: () => room.state };
  }

  async function refusal(options: Record<string, unknown>): Promise<MatchMakeError> {
    return join(options).then(
      () => assert.fail('the join should have been refused'),
      (caught: unknown) => {
        assert.ok(caught instanceof MatchMakeError, String(caught));
        return caught;
      },
    );
  }

  async function metrics(): Promise<string> {
    return String((await request('GET', '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).body);
  }

  describe('message types', () => {
    it('answers a misspelt type with an unknown_message error, keeps the socket and counts the refusal', async () => {
      const session = await createSession();
      const alice = await join({ sessionId: session.id, clientId: 'typo-alice' });
      sendUnchecked(alice.room, 'mvoe', { dir: 'N' });
      sendUnchecked(alice.room, 7, {});
      await waitFor(() => alice.errors.length === 2, 'two errors');
      assert.deepEqual(
        alice.errors.map((error) => error.code),
        ['unknown_message', 'unknown_message'],
      );
      assert.match(alice.errors[0]!.message, /"mvoe".*\bmove\b/);
      assert.match(alice.errors[1]!.message, /"7"/);
      assert.ok(alice.room.connection.isOpen, 'the socket was closed');

      // The room still takes what it knows from the same socket.
      alice.room.send('ready', { ready: true });
      await waitFor(() => alice.state().players.get('typo-alice')?.ready, 'alice ready');
      alice.room.send('ready', { ready: 'yes' } as never);
      await waitFor(() => alice.errors.length === 3, 'the invalid payload refused');
      assert.equal(alice.errors[2]!.code, 'invalid_message');
      assert.deepEqual(alice.closes, []);

      const counted = await metrics();
      assert.match(counted, /^labyrinth_refusals_total\{code="unknown_message"\} [2-9]/m);
      assert.match(counted, /^labyrinth_refusals_total\{code="invalid_message"\} [1-9]/m);
    });

    it('still cuts off a flood of them with 4002, and a frame over maxMessageBytes', async () => {
      const session = await createSession();
      const flooder = await join({ sessionId: session.id, clientId: 'typo-flooder' });
      const { limits }: WelcomeMessage = await whoami(flooder.room);
      for (let sent = 0; sent < 3 * limits.messagesPerSecond; sent++) sendUnchecked(flooder.room, 'mvoe', { dir: 'N' });
      await waitFor(() => flooder.closes.length > 0, 'the flooder cut off');
      assert.equal(flooder.closes[0], 4002);

      const big = await join({ sessionId: session.id, clientId: 'big-sender' });
      big.room.connection.send(new Uint8Array(limits.maxMessageBytes + 1).fill(13));
      await waitFor(() => big.closes.length > 0, 'the socket of a frame over maxMessageBytes closed');
    });
  });

  describe('whoami', () => {
    it('tells a player and a spectator who they are, and the limits the room enforces', async () => {
      const session = await createSession({ seed: 'limits' });
      const player = await join({ sessionId: session.id, clientId: 'limits-player' });
      const watcher = await join({ sessionId: session.id, clientId: 'limits-watcher', spectator: true });
      const playerWelcome: WelcomeMessage = await whoami(player.room);
      const watcherWelcome: WelcomeMessage = await whoami(watcher.room);
      assert.equal(playerWelcome.spectator, false);
      assert.equal(watcherWelcome.spectator, true);
      assert.equal(watcherWelcome.clientId, 'limits-watcher');
      const limits: ClientLimits = playerWelcome.limits;
      assert.deepEqual(limits, {
        moveCooldownMs: MOVE_COOLDOWN_MS,
        messagesPerSecond: 20,
        maxMessageBytes: 4096,
        chatMaxLength: 200,
        chatBurst: 5,
        chatRefillMs: 1000,
      });
      assert.deepEqual(watcherWelcome.limits, limits);

      // The chat limits are the ones told: chatBurst lines of chatMaxLength at once pass, one more character or one more line does not.
      const line = 'x'.repeat(limits.chatMaxLength);
      player.room.send('chat', { text: `${line}y` });
      for (let sent = 0; sent < limits.chatBurst; sent++) player.room.send('chat', { text: line });
      player.room.send('chat', { text: 'one too many' });
      await waitFor(
        () => player.errors.length === 2,
        () => `two refusals, got ${JSON.stringify(player.errors)}`,
      );
      assert.deepEqual(
        player.errors.map((error) => error.code),
        ['chat_too_long', 'chat_rate_limited'],
      );
      await waitFor(() => player.room.state.chat.length === limits.chatBurst, 'the accepted lines in the chat');

      // So is the move cooldown: a step is taken, the next one sent at once is too fast.
      const maze = generateMaze(6, 'limits');
      const start = { x: maze.startX, y: maze.startY };
      const open = DIRECTIONS.find((side) => tryMove(maze, start, side).ok)!;
      player.room.send('ready', { ready: true });
      await waitFor(() => player.state().phase === 'playing', 'the round to start');
      player.room.send('move', { dir: open });
      const back = { N: 'S', E: 'W', S: 'N', W: 'E' } as const;
      player.room.send('move', { dir: back[open] });
      await waitFor(() => player.errors.length === 3, 'the second move refused');
      assert.equal(player.errors[2]!.code, 'too_fast');
      assert.match(player.errors[2]!.message, new RegExp(String(MOVE_COOLDOWN_MS)));
      const moved = tryMove(maze, start, open);
      assert.ok(moved.ok);
      await waitFor(
        () => player.state().players.get('limits-player')?.x === moved.to.x && player.state().players.get('limits-player')?.y === moved.to.y,
        'the first step',
      );

      // openDirections is a schema array of N, E, S, W in that order, the sides one may step through.
      await waitFor(() => player.state().revealed.size > 1, 'tiles revealed');
      for (const tile of player.state().revealed.values()) {
        assert.ok(!Array.isArray(tile.openDirections), 'openDirections arrived as a plain array');
        assert.deepEqual([...tile.openDirections], maze.tiles[tile.y * maze.size + tile.x]!.openDirections);
        assert.deepEqual(
          [...tile.openDirections],
          DIRECTIONS.filter((side) => [...tile.openDirections].includes(side)),
        );
      }
    });
  });

  describe('refused joins', () => {
    it('name their reason first in the message, which tells session_full from client_in_other_session (both 409)', async () => {
      const full = await createSession({ maxPlayers: 2 });
      const other = await createSession();
      await join({ sessionId: full.id, clientId: 'refused-a' });
      const b = await join({ sessionId: full.id, clientId: 'refused-b' });
      const { clientToken } = await whoami(b.room);

      const sessionFull = await refusal({ sessionId: full.id, clientId: 'refused-c' });
      const elsewhere = await refusal({ sessionId: other.id, clientId: 'refused-b', clientToken });
      assert.deepEqual([sessionFull.code, elsewhere.code], [409, 409]);
      assert.equal(joinRefusalCode(sessionFull.message), 'session_full');
      assert.equal(joinRefusalCode(elsewhere.message), 'client_in_other_session');
      assert.ok(elsewhere.message.includes(full.id), elsewhere.message);

      const refusals: [Record<string, unknown>, number, string][] = [
        [{ sessionId: '00000000-0000-4000-8000-000000000000', clientId: 'refused-d' }, 404, 'session_not_found'],
        [{ code: 'ZZZZZZ', clientId: 'refused-d' }, 404, 'code_not_found'],
        [{ sessionId: other.id, clientId: 'refused-d', colour: 'red' }, 400, 'invalid_options'],
        [{ sessionId: other.id, clientId: 'bot-1' }, 400, 'reserved_client_id'],
        [{ sessionId: other.id, clientId: 'refused-b' }, 403, 'client_token_required'],
        [{ sessionId: other.id, clientId: 'refused-b', clientToken: 'x'.repeat(43) }, 403, 'invalid_client_token'],
      ];
      for (const [options, code, reason] of refusals) {
        const refused = await refusal(options);
        assert.deepEqual([refused.code, joinRefusalCode(refused.message)], [code, reason], refused.message);
      }
      assert.match(await metrics(), /^labyrinth_joins_refused_total\{reason="client_in_other_session"\} [1-9]/m);

      // A refusal from Colyseus itself has no reason of ours, and a code of its own (documented).
      const notRunning = await sdk.joinById(other.id, { clientId: 'refused-e' }).then(
        () => assert.fail('joined a room that does not run'),
        (caught: MatchMakeError) => caught,
      );
      assert.deepEqual([notRunning.code, joinRefusalCode(notRunning.message)], [522, undefined], notRunning.message);
    });
  });

  it('takes a join code in either case', async () => {
    const session = await createSession({ visibility: 'private' });
    assert.match(session.code ?? '', /^[A-Z0-9]{6}$/);
    const lower = await join({ code: session.code!.toLowerCase(), clientId: 'code-lower' });
    const mixed = await join({ code: session.code![0]!.toLowerCase() + session.code!.slice(1), clientId: 'code-mixed' });
    assert.equal(lower.room.roomId, session.id);
    assert.equal(mixed.room.roomId, session.id);
    await waitFor(() => lower.state().players.size === 2, 'both seated in one room');
  });
});
