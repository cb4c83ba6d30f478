import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import { request, type JsonResponse } from '../support/httpClient.ts';
import { bootTestServer, TEST_BASE_URL, testDatabase } from '../support/testServer.ts';

// Every string input of every HTTP route, new API and old, gets hostile values: control characters
// (NUL included), lone surrogates and invalid UTF-8, very long values, the wrong JSON type,
// `__proto__`/`constructor` keys, arrays where objects go. Each must be a 4xx JSON error naming the
// field (never a 500), documented in the OpenAPI document (request() checks), and the database must
// be exactly as it was.

const TABLES = ['labyrinth', 'tile', 'game_session', 'player', 'mobile_client', 'client_identity', 'entity', 'equipment', 'skill', 'special'];

/** Hostile values for a JSON string field, by label. */
const HOSTILE_JSON_VALUES: [string, unknown][] = [
  ['a NUL character', 'a\u0000b'],
  ['a control character', 'a\u0001b'],
  ['an escape sequence', '\u001b[31mred'],
  ['DEL', 'a\u007fb'],
  ['a C1 control character', 'a\u0085b'],
  ['a lone high surrogate', 'a\ud800b'],
  ['a lone low surrogate', '\udc00'],
  ['a 60,000-character value', 'x'.repeat(60_000)],
  ['a number', 12345],
  ['an array', ['a', 'b']],
  ['an object', { a: 1 }],
  ['an object with a __proto__ key', JSON.parse('{"__proto__": {"polluted": true}}')],
  ['true', true],
];

/** Hostile path segments, percent-encoded as a client would send them. */
const HOSTILE_SEGMENTS: [string, string][] = [
  ['%00', '%00'],
  ['a control character', 'a%01b'],
  ['invalid UTF-8', '%FF%FE'],
  ['a UTF-8-encoded surrogate', '%ED%A0%80'],
  ['a broken percent escape', '%E0%A4%A'],
  ['a 5,000-character segment', 'x'.repeat(5000)],
];

type BodyRoute = { path: string; fields: Record<string, unknown> };
const SESSION_PLACEHOLDER = '00000000-0000-4000-8000-000000000000';
/** POST routes with JSON bodies, and a valid body for each (each field is made hostile in turn). */
const BODY_ROUTES: BodyRoute[] = [
  { path: '/api/labyrinths/preview', fields: { size: 5, seed: 'ok' } },
  { path: '/api/sessions', fields: { size: 5, seed: 'ok' } },
  { path: '/create-game-session', fields: { size: 5, seed: 'ok' } },
  { path: '/generate-labyrinth', fields: { size: 5, seed: 'ok' } },
  { path: '/api/game_sessions/create', fields: { size: 5, seed: 'ok' } },
  { path: '/api/game_sessions/leave', fields: { client_id: 'hostile-client', client_token: 'x' } },
  { path: `/api/game_sessions/${SESSION_PLACEHOLDER}/join`, fields: { client_id: 'hostile-client', client_token: 'x' } },
  { path: `/api/game_sessions/${SESSION_PLACEHOLDER}/toggle_readiness`, fields: { client_id: 'hostile-client', client_token: 'x', ready: true } },
];

/** GET routes with one path parameter, as templates. */
const PATH_ROUTES: [string, string][] = [
  ['GET', '/api/sessions/{}'],
  ['GET', '/api/sessions/{}/labyrinth'],
  ['DELETE', '/api/sessions/{}'],
  ['GET', '/api/entities/{}'],
  ['GET', '/api/game_sessions/client_state/{}'],
  ['GET', '/api/game_sessions/{}/clients'],
  ['GET', '/api/game_sessions/{}/status'],
  ['POST', '/api/game_sessions/{}/join'],
  ['POST', '/api/game_sessions/{}/toggle_readiness'],
];

const HOSTILE_QUERIES: [string, string][] = [
  ['/api/sessions', 'limit=%00'],
  ['/api/sessions', 'limit=1&limit=2'],
  ['/api/sessions', `offset=${'9'.repeat(5000)}`],
  ['/api/sessions', '__proto__=1'],
  ['/api/entities', 'constructor=x'],
  ['/api/sessions', 'limit=%FF'],
  ['/api/entities', 'type=%00'],
  ['/api/entities', 'type=player&type=npc'],
  ['/api/entities', 'type=%ED%A0%80'],
  ['/api/entities', `type=${'p'.repeat(5000)}`],
];

describe('hostile input over HTTP', () => {
  let server: ColyseusTestServer;
  let sessionId: string;

  const snapshot = async () => {
    const counts = TABLES.map((table) => `(select count(*) from "${table}")::int as "${table}"`).join(', ');
    const [row] = await (await testDatabase()).em.getConnection().execute<Record<string, number>[]>(`select ${counts}`);
    return row!;
  };

  /** Sends a request, expects a 4xx error naming `field` (when given), and the database untouched. */
  const assertRefused = async (send: () => Promise<JsonResponse>, field: string | undefined) => {
    const before = await snapshot();
    const response = await send();
    assert.ok(response.status >= 400 && response.status < 500, `expected a 4xx, got ${response.status}: ${JSON.stringify(response.body)}`);
    assert.equal(typeof response.body?.error?.code, 'string', JSON.stringify(response.body));
    assert.equal(typeof response.body.error.message, 'string');
    // A nested problem is named by its path under the field, e.g. `seed.__proto__`.
    if (field !== undefined) assert.match(String(response.body.error.field), new RegExp(`^${field}(\\.|$)`), JSON.stringify(response.body));
    assert.deepEqual(await snapshot(), before, 'the database changed');
  };
  const withSession = (path: string) => path.replace(SESSION_PLACEHOLDER, sessionId);

  before(async () => {
    server = await bootTestServer();
    sessionId = (await request('POST', '/api/sessions', { json: { size: 4 } })).body.id;
  });
  after(async () => {
    await server.shutdown();
  });

  for (const route of BODY_ROUTES) {
    describe(`POST ${route.path.replace(SESSION_PLACEHOLDER, '{id}')}`, () => {
      for (const field of Object.keys(route.fields)) {
        // A value of the field's own type (other than text) may well be valid: not hostile here.
        const hostile = HOSTILE_JSON_VALUES.filter(([, value]) => typeof value === 'string' || typeof value !== typeof route.fields[field]);
        for (const [label, value] of hostile) {
          it(`${field} as ${label} is refused naming ${field}`, async () => {
            await assertRefused(() => request('POST', withSession(route.path), { json: { ...route.fields, [field]: value } }), field);
          });
        }
      }

      for (const key of ['__proto__', 'constructor', 'prototype']) {
        it(`a ${key} key is refused naming it`, async () => {
          const body = `{${Object.entries(route.fields)
            .map(([name, value]) => `${JSON.stringify(name)}: ${JSON.stringify(value)}`)
            .join(', ')}, "${key}": {"size": 64}}`;
          await assertRefused(() => request('POST', withSession(route.path), { rawBody: body }), key);
        });
      }

      for (const [label, raw] of [
        ['an array', '[{"size": 5}]'],
        ['a string', '"size"'],
        ['a number', '5'],
        ['null', 'null'],
      ] as const) {
        it(`a body that is ${label} is refused naming the body`, async () => {
          await assertRefused(() => request('POST', withSession(route.path), { rawBody: raw }), 'body');
        });
      }

      it('a body with a NUL escaped in a key is refused', async () => {
        await assertRefused(() => request('POST', withSession(route.path), { rawBody: '{"size": 5, "a\\u0000b": 1}' }), undefined);
      });

      it('invalid UTF-8 bytes in the body are refused', async () => {
        const body = Buffer.concat([Buffer.from('{"size": 5, "seed": "a'), Buffer.from([0xff, 0xfe]), Buffer.from('", "client_id": "x"}')]);
        await assertRefused(async () => {
          const response = await fetch(`${TEST_BASE_URL}${withSession(route.path)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
          return { status: response.status, body: await response.json(), headers: response.headers };
        }, 'body');
      });
    });
  }

  for (const [method, template] of PATH_ROUTES) {
    describe(`${method} ${template.replace('{}', '{param}')}`, () => {
      const send = (segment: string) =>
        request(method, template.replace('{}', segment), {
          admin: method === 'DELETE',
          ...(method === 'POST' ? { json: { client_id: 'hostile-client', ready: true } } : {}),
        });
      for (const [label, segment] of HOSTILE_SEGMENTS) {
        it(`${label} as the path parameter is a 400 invalid_path`, async () => {
          await assertRefused(() => send(segment), 'path');
        });
      }
      // Harmless as values (nothing is merged into objects by them): whatever the answer, not a 5xx.
      for (const segment of ['__proto__', 'constructor']) {
        it(`${segment} as the path parameter is not a server error`, async () => {
          const response = await send(segment);
          assert.ok(response.status < 500, `got ${response.status}`);
        });
      }
    });
  }

  for (const [path, query] of HOSTILE_QUERIES) {
    it(`GET ${path}?${query.slice(0, 40)} is a 422 naming the parameter`, async () => {
      await assertRefused(() => request('GET', `${path}?${query}`), query.split('=')[0]);
    });
  }

  it('a hostile X-Client-Token header is refused', async () => {
    const send = () =>
      request('POST', `/api/game_sessions/leave`, { json: { client_id: 'hostile-client' }, headers: { 'x-client-token': 'x'.repeat(10_000) } });
    await assertRefused(send, undefined);
  });
});
