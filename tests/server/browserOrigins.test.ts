import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import { request } from '../support/httpClient.ts';
import { openSocket, reserveSeat } from '../support/rawSockets.ts';
import { bootTestServer, resetTestDatabase, TEST_BASE_URL, TEST_WS_URL } from '../support/testServer.ts';
import { labyrinthClient } from '../support/labyrinthClient.ts';

// ALLOWED_ORIGINS: a page of a listed origin, or of the server's own, may call the API with
// credentials and open room and push sockets; any other page is refused everywhere (403), and
// Colyseus no longer echoes its Origin in CORS headers.

const ALLOWED = 'https://game.example.com';
const FOREIGN = 'https://evil.example.net';
const OWN = TEST_BASE_URL;

describe('browser origins', () => {
  let server: ColyseusTestServer;
  let sessionId: string;

  before(async () => {
    await resetTestDatabase();
    server = await bootTestServer({ ALLOWED_ORIGINS: ALLOWED });
  });
  after(async () => {
    await server.shutdown();
  });
  beforeEach(async () => {
    sessionId = (await request('POST', '/api/sessions', { json: { size: 4 } })).body.id;
  });

  describe('HTTP', () => {
    it('grants CORS with credentials to an allowed origin and to the server itself', async () => {
      for (const origin of [ALLOWED, OWN]) {
        const response = await request('GET', `/api/sessions/${sessionId}`, { headers: { origin } });
        assert.equal(response.status, 200, origin);
        assert.equal(response.headers.get('access-control-allow-origin'), origin);
        assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
      }
    });

    it('refuses a foreign origin with 403 origin_not_allowed and no CORS grant, admin routes included', async () => {
      const sessionsBefore = (await request('GET', '/api/sessions')).body.total;
      for (const [method, path, admin] of [
        ['GET', `/api/sessions/${sessionId}`, false],
        ['POST', '/api/sessions', false],
        ['DELETE', '/api/sessions', true],
        ['POST', '/api/game_sessions/create', false],
      ] as const) {
        const response = await request(method, path, { headers: { origin: FOREIGN }, admin, json: method === 'POST' ? { size: 4 } : undefined });
        assert.equal(response.status, 403, `${method} ${path}`);
        assert.equal(response.body.error.code, 'origin_not_allowed');
        assert.equal(response.body.error.field, 'origin');
        assert.equal(response.headers.get('access-control-allow-origin'), null);
        assert.equal(response.headers.get('access-control-allow-credentials'), null);
      }
      assert.equal((await request('GET', '/api/sessions')).body.total, sessionsBefore, 'nothing was created or deleted');
    });

    it('answers a foreign preflight without a CORS grant', async () => {
      const preflight = (origin: string) =>
        fetch(`${TEST_BASE_URL}/api/sessions`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      assert.equal((await preflight(FOREIGN)).headers.get('access-control-allow-origin'), null);
      assert.equal((await preflight(ALLOWED)).headers.get('access-control-allow-origin'), ALLOWED);
    });

    it('lets requests without an Origin through (curl, native clients, the SDK in Node)', async () => {
      const response = await request('GET', `/api/sessions/${sessionId}`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('access-control-allow-origin'), null);
    });

    it('refuses matchmaking (a seat reservation) for a foreign page', async () => {
      assert.equal((await reserveSeat(sessionId, 'page-player', { origin: FOREIGN })).status, 403);
      assert.equal((await reserveSeat(sessionId, 'page-player', { origin: ALLOWED })).status, 200);
    });
  });

  describe('WebSockets', () => {
    it('refuses a room socket opened by a foreign page, and lets an allowed one in', async () => {
      const seat = await reserveSeat(sessionId, 'socket-player');
      const refused = await openSocket(seat.url!, FOREIGN);
      assert.ok('status' in refused, 'the foreign socket opened');
      assert.equal(refused.status, 403);
      assert.equal(JSON.parse(refused.body).error.code, 'origin_not_allowed');
      const allowed = await openSocket(seat.url!, ALLOWED);
      assert.ok('opened' in allowed, `refused: ${JSON.stringify(allowed)}`);
      allowed.opened.close();
    });

    it('refuses the old push channel to a foreign page, and serves an allowed one', async () => {
      const refused = await openSocket(`${TEST_WS_URL}/ws/${sessionId}`, FOREIGN);
      assert.ok('status' in refused);
      assert.equal(refused.status, 403);
      for (const origin of [ALLOWED, OWN, undefined]) {
        const allowed = await openSocket(`${TEST_WS_URL}/ws/${sessionId}`, origin);
        assert.ok('opened' in allowed, `refused ${origin}: ${JSON.stringify(allowed)}`);
        allowed.opened.close();
      }
    });

    it('still lets the SDK (no Origin) join and play', async () => {
      const room = await labyrinthClient(TEST_BASE_URL).joinOrCreate('labyrinth', { sessionId, clientId: 'sdk-player' });
      room.send('ready', { ready: true });
      await room.leave(true);
    });
  });
});
