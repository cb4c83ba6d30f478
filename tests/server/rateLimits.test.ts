import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import type { WebSocket } from 'ws';
import { request, type JsonResponse } from '../support/httpClient.ts';
import { openSocket, reserveSeat } from '../support/rawSockets.ts';
import { bootTestServer, countRows, resetTestDatabase, TEST_BASE_URL, TEST_WS_URL } from '../support/testServer.ts';
import { labyrinthClient } from '../support/labyrinthClient.ts';

// Per-address rate limits (session creation on both APIs, previews, joins), the cap on open
// sockets per address, TRUST_PROXY, and the cap on how many sessions may exist. Each test boots
// a server of its own, so that its counts start at zero.

const LIMIT = 3;

function assertRateLimited(response: JsonResponse): void {
  assert.equal(response.status, 429, JSON.stringify(response.body));
  assert.equal(response.body.error.code, 'rate_limited');
  const retryAfter = Number(response.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${response.headers.get('retry-after')}`);
}

describe('rate limits and caps', () => {
  let server: ColyseusTestServer | undefined;
  const boot = async (settings: Record<string, string>) => {
    server = await bootTestServer(settings);
  };

  beforeEach(async () => {
    await resetTestDatabase();
  });
  afterEach(async () => {
    await server?.shutdown();
    server = undefined;
  });

  it('limits session creation per address across both APIs, writing nothing once over', async () => {
    await boot({ SESSION_CREATES_PER_MINUTE: String(LIMIT) });
    assert.equal((await request('POST', '/api/sessions', { json: { size: 4 } })).status, 201);
    assert.equal((await request('POST', '/create-game-session', { json: { size: 4 } })).status, 200);
    assert.equal((await request('POST', '/api/game_sessions/create', { json: { size: 4 } })).status, 200);
    const labyrinths = await countRows('labyrinth');
    for (const path of ['/api/sessions', '/create-game-session', '/api/game_sessions/create']) {
      assertRateLimited(await request('POST', path, { json: { size: 64 } }));
    }
    assert.equal(await countRows('labyrinth'), labyrinths);
    // Other routes are not affected.
    assert.equal((await request('GET', '/api/sessions')).status, 200);
  });

  it('limits previews per address across both APIs', async () => {
    await boot({ PREVIEWS_PER_MINUTE: String(LIMIT) });
    for (let i = 0; i < LIMIT; i += 1) {
      assert.equal((await request('POST', i % 2 ? '/generate-labyrinth' : '/api/labyrinths/preview', { json: { size: 4 } })).status, 200);
    }
    assertRateLimited(await request('POST', '/api/labyrinths/preview', { json: { size: 4 } }));
    assertRateLimited(await request('POST', '/generate-labyrinth', { json: { size: 4 } }));
  });

  it('limits joins per address: old-API joins, and room sockets opened through the SDK', async () => {
    await boot({ JOINS_PER_MINUTE: String(LIMIT) });
    const sessionId = (await request('POST', '/api/sessions', { json: { size: 4 } })).body.id;
    for (let i = 0; i < LIMIT; i += 1) {
      assert.equal((await request('POST', `/api/game_sessions/${sessionId}/join`, { json: { client_id: `http-${i}` } })).status, 200);
    }
    assertRateLimited(await request('POST', `/api/game_sessions/${sessionId}/join`, { json: { client_id: 'http-over' } }));

    const sdk = labyrinthClient(TEST_BASE_URL);
    const rooms = [];
    for (let i = 0; i < LIMIT; i += 1) rooms.push(await sdk.joinOrCreate('labyrinth', { sessionId, clientId: `sdk-${i}` }));
    await assert.rejects(sdk.joinOrCreate('labyrinth', { sessionId, clientId: 'sdk-over' }));
    const seat = await reserveSeat(sessionId, 'raw-over');
    const refused = await openSocket(seat.url!);
    assert.ok('status' in refused);
    assert.equal(refused.status, 429);
    assert.equal(JSON.parse(refused.body).error.code, 'rate_limited');
    assert.ok(Number(refused.headers['retry-after']) >= 1);
    // Those already in keep playing.
    rooms[0]!.send('ready', { ready: true });
    await Promise.all(rooms.map((room) => room.leave(true)));
  });

  it('caps the open sockets of one address (rooms and push channel together), freeing a place when one closes', async () => {
    await boot({ MAX_SOCKETS_PER_ADDRESS: '4' });
    const sessionId = (await request('POST', '/api/sessions', { json: { size: 4 } })).body.id;
    const push = `${TEST_WS_URL}/ws/${sessionId}`;
    const open: WebSocket[] = [];
    for (let i = 0; i < 3; i += 1) {
      const outcome = await openSocket(push);
      assert.ok('opened' in outcome, JSON.stringify(outcome));
      open.push(outcome.opened);
    }
    const room = await labyrinthClient(TEST_BASE_URL).joinOrCreate('labyrinth', { sessionId, clientId: 'fourth' });
    const refused = await openSocket(push);
    assert.ok('status' in refused, 'a fifth socket opened');
    assert.equal(refused.status, 429);
    assert.equal(JSON.parse(refused.body).error.code, 'too_many_sockets');
    await assert.rejects(labyrinthClient(TEST_BASE_URL).joinOrCreate('labyrinth', { sessionId, clientId: 'fifth' }));

    const closed = new Promise((resolve) => open[0]!.once('close', resolve));
    open[0]!.close();
    await closed;
    // The server sees the close a moment after the client does.
    let again: Awaited<ReturnType<typeof openSocket>> = { status: 0, body: '', headers: {} };
    for (let attempt = 0; attempt < 50 && !('opened' in again); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      again = await openSocket(push);
    }
    assert.ok('opened' in again, 'no place was freed');
    for (const socket of [...open.slice(1), again.opened]) socket.close();
    await room.leave(true);
  });

  it('believes X-Forwarded-For only from a trusted proxy (TRUST_PROXY)', async () => {
    await boot({ PREVIEWS_PER_MINUTE: '1', TRUST_PROXY: 'loopback' });
    const from = (address: string) => ({ json: { size: 4 }, headers: { 'x-forwarded-for': address } });
    assert.equal((await request('POST', '/api/labyrinths/preview', from('203.0.113.1'))).status, 200);
    assert.equal((await request('POST', '/api/labyrinths/preview', from('203.0.113.2'))).status, 200);
    assertRateLimited(await request('POST', '/api/labyrinths/preview', from('203.0.113.1')));
    await server!.shutdown();

    // Not trusted (the default): a client cannot pick a new address for each request.
    await boot({ PREVIEWS_PER_MINUTE: '1' });
    assert.equal((await request('POST', '/api/labyrinths/preview', from('203.0.113.1'))).status, 200);
    assertRateLimited(await request('POST', '/api/labyrinths/preview', from('203.0.113.2')));
  });

  it('refuses to create more than MAX_SESSIONS sessions, on both APIs, until some are deleted', async () => {
    await boot({ MAX_SESSIONS: '2' });
    assert.equal((await request('POST', '/api/sessions', { json: { size: 4 } })).status, 201);
    assert.equal((await request('POST', '/create-game-session', { json: { size: 4 } })).status, 200);
    for (const path of ['/api/sessions', '/create-game-session', '/api/game_sessions/create']) {
      const refused = await request('POST', path, { json: { size: 4 } });
      assert.equal(refused.status, 503, path);
      assert.equal(refused.body.error.code, 'session_limit_reached');
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
    }
    assert.equal(await countRows('labyrinth'), 2);
    assert.equal((await request('DELETE', '/api/sessions', { admin: true })).status, 200);
    assert.equal((await request('POST', '/api/sessions', { json: { size: 4 } })).status, 201);
  });

  it('holds MAX_SESSIONS for quick play too: a quick play that would create a session is refused with 503', async () => {
    await boot({ MAX_SESSIONS: '1' });
    // A session on another maze than the quick play asks for: quick play cannot seat the player there.
    assert.equal((await request('POST', '/api/sessions', { json: { size: 5 } })).status, 201);
    const refusal = await labyrinthClient(TEST_BASE_URL)
      .joinOrCreate('labyrinth', { clientId: 'quick-player', size: 6 })
      .then(
        () => assert.fail('quick play created a session past MAX_SESSIONS'),
        (error: { code?: number; message?: string }) => error,
      );
    assert.equal(refusal.code, 503);
    assert.match(refusal.message ?? '', /maximum of 1 sessions/);
    assert.equal(await countRows('labyrinth'), 1);
  });
});
