import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import { closeAllDatabases } from '../../src/database/openDatabase.ts';
import { generateMaze } from '../../src/maze/generateMaze.ts';
import { request } from '../support/httpClient.ts';
import { bootTestServer, countRows, TEST_BASE_URL } from '../support/testServer.ts';

describe('REST API', () => {
  let server: ColyseusTestServer;

  before(async () => {
    server = await bootTestServer();
  });
  after(async () => {
    await server.shutdown();
  });
  beforeEach(async () => {
    assert.equal((await request('DELETE', '/api/sessions', { admin: true })).status, 200);
  });

  describe('POST /api/labyrinths/preview', () => {
    it('returns the maze for a given seed, the same every time', async () => {
      const first = await request('POST', '/api/labyrinths/preview', { json: { size: 6, seed: 'shared-seed' } });
      const second = await request('POST', '/api/labyrinths/preview', { json: { size: 6, seed: 'shared-seed' } });
      assert.equal(first.status, 200);
      assert.deepEqual(first.body, second.body);
      assert.deepEqual(first.body, JSON.parse(JSON.stringify(generateMaze(6, 'shared-seed'))));
      assert.equal(first.body.tiles.length, 36);
      assert.deepEqual(Object.keys(first.body.tiles[0]).sort(), ['image', 'openDirections', 'type', 'x', 'y']);
    });

    it('makes up a 32-character hex seed when none is given, and returns it', async () => {
      const response = await request('POST', '/api/labyrinths/preview', { json: { size: 5 } });
      assert.equal(response.status, 200);
      assert.match(response.body.seed, /^[0-9a-f]{32}$/);
      const again = await request('POST', '/api/labyrinths/preview', { json: { size: 5, seed: response.body.seed } });
      assert.deepEqual(again.body.tiles, response.body.tiles);
    });

    it('writes nothing to the database', async () => {
      const before = await countRows('labyrinth');
      await request('POST', '/api/labyrinths/preview', { json: { size: 10 } });
      assert.equal(await countRows('labyrinth'), before);
    });

    it('accepts the largest size, 64', async () => {
      const response = await request('POST', '/api/labyrinths/preview', { json: { size: 64, seed: 'big' } });
      assert.equal(response.status, 200);
      assert.equal(response.body.tiles.length, 64 * 64);
    });
  });

  describe('input validation', () => {
    const badSizes: [string, unknown][] = [
      ['3', { size: 3 }],
      ['65', { size: 65 }],
      ['"abc"', { size: 'abc' }],
      ['1e9', { size: 1e9 }],
      ['4.5', { size: 4.5 }],
      ['null', { size: null }],
      ['a missing size', {}],
    ];
    for (const route of ['/api/labyrinths/preview', '/api/sessions']) {
      for (const [label, body] of badSizes) {
        it(`POST ${route} with size ${label} is a 422 naming the field`, async () => {
          const response = await request('POST', route, { json: body });
          assert.equal(response.status, 422);
          assert.equal(response.body.error.code, 'invalid_input');
          assert.equal(response.body.error.field, 'size');
          assert.equal(typeof response.body.error.message, 'string');
        });
      }
    }

    it('a request without a body is a 422, not a 500', async () => {
      const response = await request('POST', '/api/sessions');
      assert.equal(response.status, 422);
      assert.equal(response.body.error.field, 'size');
    });

    it('malformed JSON is a 400 with a JSON error body', async () => {
      const response = await request('POST', '/api/sessions', { rawBody: '{"size": 8' });
      assert.equal(response.status, 400);
      assert.equal(response.body.error.code, 'invalid_json');
    });

    it('a seed that is not text is refused, naming the seed', async () => {
      const response = await request('POST', '/api/sessions', { json: { size: 8, seed: 42 } });
      assert.equal(response.status, 422);
      assert.equal(response.body.error.field, 'seed');
    });

    it('a numeric string size is accepted, as the old FastAPI server did', async () => {
      const response = await request('POST', '/api/labyrinths/preview', { json: { size: '7', seed: 's' } });
      assert.equal(response.status, 200);
      assert.equal(response.body.size, 7);
    });

    it('unknown routes answer 404 in JSON', async () => {
      const response = await request('GET', '/api/nothing-here');
      assert.equal(response.status, 404);
      assert.equal(response.body.error.code, 'route_not_found');
    });
  });

  describe('sessions', () => {
    it('creates a session honouring the seed, storing the labyrinth and all its tiles', async () => {
      const tilesBefore = await countRows('tile');
      const response = await request('POST', '/api/sessions', { json: { size: 12, seed: 'my-seed' }, admin: true });
      assert.equal(response.status, 201);
      const session = response.body;
      const maze = generateMaze(12, 'my-seed');
      assert.match(session.id, /^[0-9a-f-]{36}$/);
      assert.match(session.labyrinthId, /^[0-9a-f-]{36}$/);
      assert.equal(session.seed, 'my-seed');
      assert.equal(session.size, 12);
      assert.equal(session.startX, maze.startX);
      assert.equal(session.startY, maze.startY);
      assert.ok(Math.abs(Date.parse(session.createdAt) - Date.now()) < 60_000);
      assert.equal((await countRows('tile')) - tilesBefore, 144);
      assert.deepEqual([session.fog, session.spectatorView, session.phase], ['team', 'everything', 'lobby']);

      const fetched = await request('GET', `/api/sessions/${session.id}`, { admin: true });
      assert.equal(fetched.status, 200);
      assert.deepEqual(fetched.body, session);
      // The seed is the whole maze: anyone but an admin gets it once the round is finished.
      const anonymous = await request('GET', `/api/sessions/${session.id}`);
      assert.deepEqual(anonymous.body, { ...session, seed: null });
    });

    it('returns the stored labyrinth with every tile, matching the maze engine', async () => {
      const { body: session } = await request('POST', '/api/sessions', { json: { size: 9, seed: 'stored' } });
      const hidden = await request('GET', `/api/sessions/${session.id}/labyrinth`);
      assert.equal(hidden.status, 403);
      assert.equal(hidden.body.error.code, 'maze_hidden');
      const response = await request('GET', `/api/sessions/${session.id}/labyrinth`, { admin: true });
      assert.equal(response.status, 200);
      const maze = generateMaze(9, 'stored');
      assert.equal(response.body.id, session.labyrinthId);
      assert.deepEqual(response.body.exit, maze.exit);
      assert.deepEqual(
        response.body.tiles.map((tile: { revealed: boolean }) => ({ ...tile, revealed: undefined })),
        maze.tiles.map((tile) => ({ ...tile, revealed: undefined })),
      );
      assert.ok(response.body.tiles.every((tile: { revealed: boolean }) => tile.revealed === false));
    });

    it('makes up a seed when none is given', async () => {
      const response = await request('POST', '/api/sessions', { json: { size: 4 }, admin: true });
      assert.equal(response.status, 201);
      assert.match(response.body.seed, /^[0-9a-f]{32}$/);
      assert.equal((await request('POST', '/api/sessions', { json: { size: 4 } })).body.seed, null);
    });

    it('lists sessions newest first with limit and offset', async () => {
      const created = [];
      for (const seed of ['a', 'b', 'c']) {
        created.push((await request('POST', '/api/sessions', { json: { size: 4, seed } })).body);
      }
      const all = await request('GET', '/api/sessions', { admin: true });
      assert.equal(all.status, 200);
      assert.equal(all.body.total, 3);
      assert.deepEqual(
        all.body.sessions.map((s: { seed: string }) => s.seed),
        ['c', 'b', 'a'],
      );
      const anonymous = await request('GET', '/api/sessions');
      assert.deepEqual(
        anonymous.body.sessions.map((s: { seed: string }) => s.seed),
        [null, null, null],
      );
      const page = await request('GET', '/api/sessions?limit=1&offset=1', { admin: true });
      assert.deepEqual(
        page.body.sessions.map((s: { seed: string }) => s.seed),
        ['b'],
      );
      assert.equal(page.body.limit, 1);
      assert.equal(page.body.offset, 1);
      const bad = await request('GET', '/api/sessions?limit=0');
      assert.equal(bad.status, 422);
      assert.equal(bad.body.error.field, 'limit');
    });

    it('answers 404 for an unknown or malformed session id', async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
        for (const path of [`/api/sessions/${id}`, `/api/sessions/${id}/labyrinth`]) {
          const response = await request('GET', path);
          assert.equal(response.status, 404, path);
          assert.equal(response.body.error.code, 'session_not_found');
        }
      }
    });

    it('deletes a session with its labyrinth and tiles, for the admin only', async () => {
      const { body: session } = await request('POST', '/api/sessions', { json: { size: 5, seed: 'gone' } });
      const labyrinths = await countRows('labyrinth');
      const tiles = await countRows('tile');

      const anonymous = await request('DELETE', `/api/sessions/${session.id}`);
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.body.error.code, 'admin_required');
      const wrong = await request('DELETE', `/api/sessions/${session.id}`, { headers: { authorization: 'Bearer nope' } });
      assert.equal(wrong.status, 401);
      assert.equal((await request('GET', `/api/sessions/${session.id}`)).status, 200);

      const basic = Buffer.from('admin:test-admin-password').toString('base64');
      const deleted = await request('DELETE', `/api/sessions/${session.id}`, { headers: { authorization: `Basic ${basic}` } });
      assert.equal(deleted.status, 204);
      assert.equal((await request('GET', `/api/sessions/${session.id}`)).status, 404);
      assert.equal(await countRows('labyrinth'), labyrinths - 1);
      assert.equal(await countRows('tile'), tiles - 25);
      assert.equal((await request('DELETE', `/api/sessions/${session.id}`, { admin: true })).status, 404);
    });

    it('deletes every session and every labyrinth, for the admin only', async () => {
      await request('POST', '/api/sessions', { json: { size: 4 } });
      await request('POST', '/api/sessions', { json: { size: 5 } });
      assert.equal((await request('DELETE', '/api/sessions')).status, 401);
      const response = await request('DELETE', '/api/sessions', { admin: true });
      assert.equal(response.status, 200);
      assert.equal(response.body.deleted, 2);
      assert.equal((await request('GET', '/api/sessions')).body.total, 0);
      assert.equal(await countRows('labyrinth'), 0);
      assert.equal(await countRows('tile'), 0);
    });

    it('keeps sessions across a server restart', async () => {
      const { body: session } = await request('POST', '/api/sessions', { json: { size: 6, seed: 'durable' } });
      await server.shutdown();
      await closeAllDatabases();
      server = await bootTestServer();
      const fetched = await request('GET', `/api/sessions/${session.id}`);
      assert.equal(fetched.status, 200);
      assert.deepEqual(fetched.body, session);
      assert.equal((await request('GET', `/api/sessions/${session.id}/labyrinth`, { admin: true })).body.tiles.length, 36);
    });
  });

  describe('game content', () => {
    it('lists the seeded entities, filterable by type', async () => {
      const all = await request('GET', '/api/entities');
      assert.equal(all.status, 200);
      assert.ok(all.body.entities.length >= 10);
      const players = await request('GET', '/api/entities?type=player');
      assert.ok(players.body.entities.length >= 1);
      assert.ok(players.body.entities.every((entity: { type: string }) => entity.type === 'player'));
      assert.equal((await request('GET', '/api/entities?type=dragon')).status, 422);
    });

    it('shows an entity with its equipment, skills and specials', async () => {
      const players = (await request('GET', '/api/entities?type=player')).body.entities;
      for (const player of players) {
        const response = await request('GET', `/api/entities/${encodeURIComponent(player.id)}`);
        assert.equal(response.status, 200);
        assert.equal(response.body.name, player.name);
        assert.ok(response.body.equipment.length > 0, `${player.id} has equipment`);
        assert.ok(response.body.skills.length > 0, `${player.id} has skills`);
        assert.ok(response.body.specials.length > 0, `${player.id} has specials`);
      }
      assert.equal((await request('GET', '/api/entities/nobody')).status, 404);
    });
  });

  describe('admin tools', () => {
    it('serves the Colyseus monitor to the admin only', async () => {
      const anonymous = await request('GET', '/monitor/');
      assert.equal(anonymous.status, 401);
      // A browser opening /monitor gets its login prompt; a page's fetch with a wrong Bearer must not.
      assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Basic /);
      const wrongBearer = await request('GET', '/monitor/', { headers: { authorization: 'Bearer nope' } });
      assert.equal(wrongBearer.status, 401);
      assert.match(wrongBearer.headers.get('www-authenticate') ?? '', /^Bearer /);
      const page = await request('GET', '/monitor/', { admin: true });
      assert.equal(page.status, 200);
      assert.match(String(page.body), /<html/i);
    });
  });

  describe('static and health', () => {
    it('reports health, and readiness once the database answers', async () => {
      const response = await request('GET', '/health');
      assert.equal(response.status, 200);
      assert.equal(response.body.status, 'ok');
      const ready = await request('GET', '/ready');
      assert.equal(ready.status, 200);
      assert.deepEqual(ready.body, { status: 'ready', database: { ok: true }, load: { ok: true } });
    });

    it('serves the client demo at /', async () => {
      const page = await request('GET', '/');
      assert.equal(page.status, 200);
      assert.match(String(page.body), /<title>Labyrinth: client demo<\/title>/);
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(String(page.body))?.[1];
      assert.ok(script, 'the page loads its bundle from /assets');
      const bundle = await fetch(`${TEST_BASE_URL}${script}`);
      assert.equal(bundle.status, 200);
      assert.match(bundle.headers.get('cache-control') ?? '', /immutable/);
      assert.equal((await request('GET', '/assets/missing.js')).status, 404);
    });

    it('serves the tile images by their reference names', async () => {
      const maze = generateMaze(8, 'images');
      for (const image of new Set(maze.tiles.map((tile) => tile.image))) {
        const response = await fetch(`${TEST_BASE_URL}/tiles/${image}`);
        assert.equal(response.status, 200, image);
        assert.equal(response.headers.get('content-type'), 'image/png');
        const bytes = new Uint8Array(await response.arrayBuffer());
        assert.deepEqual([...bytes.slice(1, 4)], [0x50, 0x4e, 0x47]);
      }
      assert.equal((await fetch(`${TEST_BASE_URL}/tiles/tile_nothing.png`)).status, 404);
    });
  });
});
