import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { matchMaker } from '@colyseus/core';
import { WebSocket } from 'ws';
import { SESSION_DELETED_CLOSE_CODE } from '../../rooms/closeCodes.ts';
import type { WelcomeMessage } from '../../rooms/labyrinthProtocol.ts';
import { request } from '../support/httpClient.ts';
import { roomTestServer, TEST_WS_URL } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';
import { type LabyrinthRoom, whoami, sendUnchecked } from '../support/labyrinthClient.ts';

const RECONNECT_SECONDS = 1;
/** Long enough that these lobby tests never see a round start (tests/server/gameplay.test.ts does). */
const SERVER_SETTINGS = { RECONNECT_SECONDS: String(RECONNECT_SECONDS), COUNTDOWN_SECONDS: '30' };

describe('labyrinth room', () => {
  const { sdk, openRooms, restart } = roomTestServer(SERVER_SETTINGS);

  async function createSession(size = 6, maxPlayers = 8): Promise<{ id: string; startX: number; startY: number }> {
    const response = await request('POST', '/api/sessions', { json: { size, seed: `room-test-${randomUUID()}`, maxPlayers } });
    assert.equal(response.status, 201);
    return response.body;
  }

  async function join(sessionId: string, clientId: string, extra: Record<string, string | boolean> = {}): Promise<LabyrinthRoom> {
    const room = await sdk.joinOrCreate('labyrinth', { sessionId, clientId, ...extra });
    openRooms.push(room);
    room.onMessage('error', () => undefined);
    return room;
  }

  const stateOf = (room: LabyrinthRoom) => room.state;
  const playerIn = (room: LabyrinthRoom, clientId: string) => stateOf(room).players?.get(clientId);

  async function joinError(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
    const error = await promise.then(
      () => assert.fail('the join should have been refused'),
      (caught: { code: number; message: string }) => caught,
    );
    return error;
  }

  it('puts two clients in one room where each sees the other get ready, and allReady flips', async () => {
    const session = await createSession();
    const alice = await join(session.id, 'alice', { name: 'Alice' });
    const bob = await join(session.id, 'bob');
    assert.equal(alice.roomId, session.id);
    assert.equal(bob.roomId, session.id);

    const aliceSeenByBob = await waitFor(() => playerIn(bob, 'alice'), 'bob to see alice');
    assert.equal(aliceSeenByBob.name, 'Alice');
    assert.equal(aliceSeenByBob.connected, true);
    assert.equal(aliceSeenByBob.x, session.startX);
    assert.equal(aliceSeenByBob.y, session.startY);
    assert.equal(stateOf(bob).phase, 'lobby');

    alice.send('ready', { ready: true });
    await waitFor(() => playerIn(bob, 'alice')?.ready === true, 'bob to see alice ready');
    assert.equal(stateOf(bob).allReady, false);

    bob.send('ready', { ready: true });
    await waitFor(() => stateOf(alice).allReady === true, 'allReady to become true');
    bob.send('ready', { ready: false });
    await waitFor(() => stateOf(alice).allReady === false, 'allReady to become false again');
  });

  it('gives each client a token, and refuses its clientId to anyone without it', async () => {
    const session = await createSession();
    const first = await join(session.id, 'carol');
    const welcome: WelcomeMessage = await whoami(first);
    assert.equal(welcome.clientId, 'carol');
    assert.equal(welcome.sessionId, session.id);
    assert.match(welcome.clientToken, /^[A-Za-z0-9_-]{20,}$/);
    await first.leave(true);

    const impostor = await joinError(sdk.joinOrCreate('labyrinth', { sessionId: session.id, clientId: 'carol' }));
    assert.equal(impostor.code, 403);
    assert.match(impostor.message, /clientToken/);
    const wrongToken = await joinError(sdk.joinOrCreate('labyrinth', { sessionId: session.id, clientId: 'carol', clientToken: 'x'.repeat(43) }));
    assert.equal(wrongToken.code, 403);

    const back = await join(session.id, 'carol', { clientToken: welcome.clientToken });
    await waitFor(() => playerIn(back, 'carol'), 'carol to be seated again');
  });

  it('refuses a client seated in another session with 409 naming that session', async () => {
    const first = await createSession();
    const second = await createSession();
    const dave = await join(first.id, 'dave');
    const { clientToken } = await whoami(dave);
    const conflict = await joinError(sdk.joinOrCreate('labyrinth', { sessionId: second.id, clientId: 'dave', clientToken }));
    assert.equal(conflict.code, 409);
    assert.ok(conflict.message.includes(first.id), conflict.message);
  });

  it('answers 404 for an unknown session and 400 for bad options', async () => {
    const unknown = await joinError(sdk.joinOrCreate('labyrinth', { sessionId: randomUUID(), clientId: 'erin' }));
    assert.equal(unknown.code, 404);
    const session = await createSession();
    const noClient = await joinError(sdk.joinOrCreate('labyrinth', { sessionId: session.id }));
    assert.equal(noClient.code, 400);
    assert.match(noClient.message, /clientId/);
    const badId = await joinError(sdk.joinOrCreate('labyrinth', { sessionId: session.id, clientId: 'has spaces' }));
    assert.equal(badId.code, 400);
    const notAnId = await joinError(sdk.joinOrCreate('labyrinth', { sessionId: 'nope', clientId: 'erin' }));
    assert.equal(notAnId.code, 400);
  });

  it('refuses a malformed ready message with a coded error and changes nothing', async () => {
    const session = await createSession();
    const frank = await join(session.id, 'frank');
    const errors: { code: string; message: string }[] = [];
    frank.onMessage('error', (message) => errors.push(message));
    sendUnchecked(frank, 'ready', { ready: 'yes' });
    sendUnchecked(frank, 'ready', 'true');
    await waitFor(() => errors.length === 2, 'two error messages');
    assert.deepEqual(
      errors.map((error) => error.code),
      ['invalid_message', 'invalid_message'],
    );
    assert.equal(playerIn(frank, 'frank')?.ready, false);
    const status = await request('GET', `/api/game_sessions/${session.id}/status`);
    assert.deepEqual(status.body, { players: [{ client_id: 'frank', ready: false }], all_ready: false });
  });

  it('removes a player who leaves on purpose, for everyone and in the database', async () => {
    const session = await createSession();
    const grace = await join(session.id, 'grace');
    const heidi = await join(session.id, 'heidi');
    await waitFor(() => playerIn(heidi, 'grace'), 'heidi to see grace');
    await grace.leave(true);
    await waitFor(() => !playerIn(heidi, 'grace'), 'grace to disappear');
    const clients = await waitFor(async () => {
      const response = await request('GET', `/api/game_sessions/${session.id}/clients`);
      return response.body.clients.length === 1 && response.body.clients;
    }, 'the database to forget grace');
    assert.equal(clients[0].client_id, 'heidi');
  });

  it('keeps a dropped player seated and ready until the SDK reconnects', async () => {
    const session = await createSession();
    const ivan = await join(session.id, 'ivan');
    const judy = await join(session.id, 'judy');
    ivan.reconnection.minUptime = 0;
    ivan.send('ready', { ready: true });
    await waitFor(() => playerIn(judy, 'ivan')?.ready, 'ivan ready');

    dropConnection(ivan);
    await waitFor(() => playerIn(judy, 'ivan')?.connected === false, 'ivan shown as disconnected');
    assert.equal(playerIn(judy, 'ivan')?.ready, true);
    await waitFor(() => playerIn(judy, 'ivan')?.connected === true, 'ivan reconnected by the SDK');
    assert.equal(playerIn(judy, 'ivan')?.ready, true);
    ivan.send('ready', { ready: false });
    await waitFor(() => playerIn(judy, 'ivan')?.ready === false, 'the reconnected socket to act for ivan');
  });

  it('removes a dropped player who does not come back within RECONNECT_SECONDS', async () => {
    const session = await createSession();
    const ken = await join(session.id, 'ken');
    const lea = await join(session.id, 'lea');
    ken.reconnection.enabled = false;
    await waitFor(() => playerIn(lea, 'ken'), 'lea to see ken');
    dropConnection(ken);
    await waitFor(() => playerIn(lea, 'ken')?.connected === false, 'ken disconnected');
    await waitFor(() => !playerIn(lea, 'ken'), 'ken removed after the reconnection window', (RECONNECT_SECONDS + 3) * 1000);
    // The freed seat is written at once, but just after the state shows it.
    await waitFor(async () => (await request('GET', `/api/game_sessions/client_state/ken`)).body.connected_session === null, 'ken unseated in the database');
  });

  it('ends twenty concurrent cold joins in exactly one room', async () => {
    // Sixteen players (the most a session seats) and four spectators.
    const session = await createSession(6, 16);
    const rooms = await Promise.all(Array.from({ length: 20 }, (_, index) => join(session.id, `crowd-${index}`, index < 16 ? {} : { spectator: true })));
    assert.deepEqual(new Set(rooms.map((room) => room.roomId)), new Set([session.id]));
    const listings = await matchMaker.query({ name: 'labyrinth' });
    assert.equal(listings.filter((listing) => listing.roomId === session.id).length, 1);
    await waitFor(() => stateOf(rooms[0]!).players?.size === 16, 'all sixteen players in one state');
  });

  it('lets the matchmaker find a running room by its session id, so joins do not build duplicates', async () => {
    const session = await createSession();
    await join(session.id, 'finn');
    const found = await matchMaker.findOneRoomAvailable('labyrinth', { sessionId: session.id });
    assert.equal(found?.roomId, session.id);
  });

  it('bridges the old HTTP API and the room both ways', async () => {
    const session = await createSession();
    const mia = await join(session.id, 'mia');

    const joined = await request('POST', `/api/game_sessions/${session.id}/join`, { json: { client_id: 'http-nick' } });
    assert.equal(joined.status, 200);
    assert.equal(joined.body.message, 'Connected successfully');
    assert.equal(joined.body.session_id, session.id);
    const token = joined.body.client_token;
    await waitFor(() => playerIn(mia, 'http-nick'), 'mia to see the HTTP player');
    assert.equal(playerIn(mia, 'http-nick')?.connected, false);

    const toggled = await request('POST', `/api/game_sessions/${session.id}/toggle_readiness`, {
      json: { client_id: 'http-nick', ready: true, client_token: token },
    });
    assert.equal(toggled.status, 200);
    assert.deepEqual(toggled.body, {
      players: [
        { client_id: 'mia', ready: false },
        { client_id: 'http-nick', ready: true },
      ],
      all_ready: false,
    });
    await waitFor(() => playerIn(mia, 'http-nick')?.ready === true, 'mia to see the HTTP readiness');

    mia.send('ready', { ready: true });
    await waitFor(async () => (await request('GET', `/api/game_sessions/${session.id}/status`)).body.all_ready, 'HTTP status all_ready');

    const left = await request('POST', '/api/game_sessions/leave', { json: { client_id: 'http-nick', client_token: token } });
    assert.equal(left.status, 200);
    assert.equal(left.body.message, 'Disconnected successfully');
    await waitFor(() => !playerIn(mia, 'http-nick'), 'mia to see the HTTP player leave');
  });

  it('refuses readiness for unknown sessions (404) and strangers (403)', async () => {
    const session = await createSession();
    await join(session.id, 'olga');
    const unknown = await request('POST', `/api/game_sessions/${randomUUID()}/toggle_readiness`, { json: { client_id: 'olga', ready: true } });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.detail, 'Session not found');
    const stranger = await request('POST', `/api/game_sessions/${session.id}/toggle_readiness`, { json: { client_id: 'stranger', ready: true } });
    assert.equal(stranger.status, 403);
    const impostor = await request('POST', `/api/game_sessions/${session.id}/toggle_readiness`, { json: { client_id: 'olga', ready: true } });
    assert.equal(impostor.status, 403);
    assert.equal(impostor.body.error.code, 'client_token_required');
  });

  it('pushes readiness to the old /ws/{session_id} channel after every change', async () => {
    const session = await createSession();
    const socket = new WebSocket(`${TEST_WS_URL}/ws/${session.id}`);
    const pushes: { players: { client_id: string; ready: boolean }[]; all_ready: boolean }[] = [];
    socket.on('message', (data) => pushes.push(JSON.parse((data as Buffer).toString())));
    try {
      await waitFor(() => pushes.length >= 1, 'the initial push');
      assert.deepEqual(pushes[0], { players: [], all_ready: false });
      const pat = await join(session.id, 'pat');
      await waitFor(() => pushes.some((push) => push.players.some((player) => player.client_id === 'pat')), 'a push with pat');
      pat.send('ready', { ready: true });
      await waitFor(() => pushes.at(-1)?.all_ready === true, 'a push with all_ready');
      await pat.leave(true);
      await waitFor(() => pushes.at(-1)?.players.length === 0, 'a push announcing the departure');
    } finally {
      socket.close();
    }
    const unknown = new WebSocket(`${TEST_WS_URL}/ws/${randomUUID()}`);
    const refused = await new Promise<number>((resolve) => unknown.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    assert.equal(refused, 404);
  });

  it('shows live room data in the session list, and closes the room when the session is deleted', async () => {
    const session = await createSession();
    const quinn = await join(session.id, 'quinn');
    quinn.send('ready', { ready: true });
    const live = await waitFor(async () => {
      const list = await request('GET', '/api/sessions');
      const entry = list.body.sessions.find((item: { id: string }) => item.id === session.id);
      return entry?.live?.allReady && entry.live;
    }, 'live data in the list');
    assert.deepEqual(live, { players: 1, bots: 0, connected: 1, allReady: true, clients: 1 });

    const closed = new Promise<number>((resolve) => quinn.onLeave((code) => resolve(code)));
    assert.equal((await request('DELETE', `/api/sessions/${session.id}`, { admin: true })).status, 204);
    assert.equal(await closed, SESSION_DELETED_CLOSE_CODE);
    await waitFor(async () => (await matchMaker.query({ name: 'labyrinth', roomId: session.id })).length === 0, 'the room to be gone');
  });

  it('restores sessions, membership and readiness after a server restart', async () => {
    const session = await createSession();
    const rita = await join(session.id, 'rita');
    const { clientToken } = await whoami(rita);
    rita.send('ready', { ready: true });
    await request('POST', `/api/game_sessions/${session.id}/join`, { json: { client_id: 'http-sam' } });
    await waitFor(async () => (await request('GET', `/api/game_sessions/${session.id}/status`)).body.players.length === 2, 'both seated');
    await waitFor(async () => (await request('GET', `/api/game_sessions/${session.id}/status`)).body.players[0].ready, 'rita ready');

    rita.reconnection.enabled = false;
    await restart();

    const status = await request('GET', `/api/game_sessions/${session.id}/status`);
    assert.deepEqual(status.body, {
      players: [
        { client_id: 'rita', ready: true },
        { client_id: 'http-sam', ready: false },
      ],
      all_ready: false,
    });
    const back = await join(session.id, 'rita', { clientToken });
    await waitFor(() => playerIn(back, 'http-sam') && playerIn(back, 'rita')?.connected, 'the rebuilt room');
    assert.equal(playerIn(back, 'rita')?.ready, true);
  });
});

/** Cuts a client's socket from the server side without a close handshake, like a network loss. */
function dropConnection(room: LabyrinthRoom): void {
  const serverRoom = matchMaker.getLocalRoomById(room.roomId);
  const client = serverRoom.clients.find((candidate) => candidate.sessionId === room.sessionId);
  assert.ok(client, 'the server-side client');
  (client.ref as unknown as WebSocket).terminate();
}
