import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import { generateMaze } from '../../src/maze/generateMaze.ts';
import { request } from '../support/httpClient.ts';
import { bootTestServer, countRows, resetTestDatabase } from '../support/testServer.ts';

// The FastAPI proof of concept's routes, as its clients call them (snake_case, `detail` in errors).
// The room side of join, leave and readiness is in labyrinthRoom.test.ts.

describe('old HTTP API', () => {
  let server: ColyseusTestServer;

  before(async () => {
    server = await bootTestServer();
  });
  after(async () => {
    await server.shutdown();
    await resetTestDatabase();
  });
  beforeEach(async () => {
    await resetTestDatabase();
  });

  it('creates sessions honouring the seed, and lists them in both old shapes', async () => {
    const first = await request('POST', '/create-game-session', { json: { size: 6, seed: 'old-seed' } });
    assert.equal(first.status, 200);
    // The seed gives the maze away: old clients get "" until the round is finished.
    assert.equal(first.body.seed, '');
    assert.equal(first.body.size, 6);
    assert.equal(first.body.start_x, generateMaze(6, 'old-seed').startX);

    const second = await request('POST', '/api/game_sessions/create', { json: { size: '5' } });
    assert.equal(second.status, 200);
    assert.equal(second.body.message, 'Game session created successfully');
    assert.equal(second.body.size, 5);

    const list = await request('GET', '/game-sessions');
    assert.deepEqual(list.body.map((session: { id: string }) => session.id).sort(), [first.body.id, second.body.session_id].sort());
    const wrapped = await request('GET', '/api/game_sessions');
    assert.deepEqual(wrapped.body.sessions, list.body);
  });

  it('generates a labyrinth in snake_case and stores nothing', async () => {
    const response = await request('POST', '/generate-labyrinth', { json: { size: 5, seed: 'preview' } });
    assert.equal(response.status, 200);
    const maze = generateMaze(5, 'preview');
    assert.equal(response.body.start_x, maze.startX);
    assert.deepEqual(response.body.exit, maze.exit);
    assert.deepEqual(response.body.tiles[0], {
      x: 0,
      y: 0,
      type: maze.tiles[0]!.type,
      open_directions: maze.tiles[0]!.openDirections,
      image: maze.tiles[0]!.image,
    });
    assert.equal(await countRows('labyrinth'), 0);
  });

  it("refuses bad input with FastAPI's detail next to the error object naming the field", async () => {
    const response = await request('POST', '/create-game-session', { json: { size: 3 } });
    assert.equal(response.status, 422);
    assert.equal(response.body.detail, 'size: must be at least 4');
    assert.equal(response.body.error.field, 'size');

    const unreadable = await request('POST', '/api/game_sessions/create', { rawBody: '{"size": ' });
    assert.equal(unreadable.status, 400);
    assert.equal(unreadable.body.error.code, 'invalid_json');
  });

  it('destroys every session and labyrinth, for the admin only', async () => {
    await request('POST', '/create-game-session', { json: { size: 4 } });
    const refused = await request('DELETE', '/destroy-all-sessions');
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error.code, 'admin_required');
    assert.equal(typeof refused.body.detail, 'string');

    const destroyed = await request('DELETE', '/destroy-all-sessions', { admin: true });
    assert.equal(destroyed.status, 200);
    assert.deepEqual(destroyed.body, { detail: 'All game sessions deleted' });
    assert.deepEqual((await request('GET', '/game-sessions')).body, []);
    assert.equal(await countRows('labyrinth'), 0);
  });

  it('seats a client once, refuses it elsewhere, reports where it sits, and lets it leave', async () => {
    const { body: here } = await request('POST', '/create-game-session', { json: { size: 4 } });
    const { body: there } = await request('POST', '/create-game-session', { json: { size: 4 } });

    const joined = await request('POST', `/api/game_sessions/${here.id}/join`, { json: { client_id: 'http-ann' } });
    assert.equal(joined.status, 200);
    assert.equal(joined.body.message, 'Connected successfully');
    const token = joined.body.client_token;
    const again = await request('POST', `/api/game_sessions/${here.id}/join`, { json: { client_id: 'http-ann', client_token: token } });
    assert.equal(again.body.message, 'Client already connected');

    const elsewhere = await request('POST', `/api/game_sessions/${there.id}/join`, { json: { client_id: 'http-ann', client_token: token } });
    assert.equal(elsewhere.status, 409);
    assert.equal(elsewhere.body.error.code, 'client_in_other_session');
    assert.equal(elsewhere.body.error.sessionId, here.id);

    const state = await request('GET', '/api/game_sessions/client_state/http-ann');
    assert.equal(state.body.connected_session, here.id);
    assert.equal(state.body.session_details.labyrinth_id, here.labyrinth_id);

    const left = await request('POST', '/api/game_sessions/leave', { json: { client_id: 'http-ann', client_token: token } });
    assert.equal(left.status, 200);
    assert.deepEqual(left.body, { message: 'Disconnected successfully', session_id: here.id });
    const notSeated = await request('POST', '/api/game_sessions/leave', { json: { client_id: 'http-ann', client_token: token } });
    assert.equal(notSeated.status, 404);
    assert.equal(notSeated.body.detail, 'Client not connected to any session');
    assert.deepEqual((await request('GET', '/api/game_sessions/client_state/http-ann')).body, {
      client_id: 'http-ann',
      connected_session: null,
      session_details: null,
    });
  });

  it('answers 404 with "Session not found" for an unknown session', async () => {
    const response = await request('GET', '/api/game_sessions/7f8c0600-2f1a-4c3e-9d2b-0a1b2c3d4e5f/clients');
    assert.equal(response.status, 404);
    assert.equal(response.body.detail, 'Session not found');
  });
});
