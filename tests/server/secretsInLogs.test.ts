import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { ColyseusTestServer } from '@colyseus/testing';
import { createAppServer } from '../../src/app.ts';
import { createLogger } from '../../src/logger.ts';
import { request } from '../support/httpClient.ts';
import { listenForTests, resetTestDatabase, TEST_ADMIN_PASSWORD, TEST_BASE_URL, testConfig } from '../support/testServer.ts';
import { labyrinthClient } from '../support/labyrinthClient.ts';

// With LOG_LEVEL=debug (pino-http logs every request with its headers), the credentials a test
// uses (the admin password, a client token, a cookie, a metrics token, a token in a query string)
// must appear nowhere in what the server logs, while the requests themselves are logged.

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const COOKIE = 'session=cookie-secret-4242';

describe('secrets in logs', () => {
  let server: ColyseusTestServer;
  const lines: string[] = [];

  before(async () => {
    await resetTestDatabase();
    const config = testConfig({ LOG_LEVEL: 'debug', METRICS_TOKEN });
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(
          ...chunk
            .toString('utf8')
            .split('\n')
            .filter((line) => line.length > 0),
        );
        done();
      },
    });
    server = await listenForTests(await createAppServer({ config, logger: createLogger('debug', 'json', capture), handleSignals: false }));
  });
  after(async () => {
    await server.shutdown();
  });

  it('redacts authorization, x-client-token, cookies and tokens at debug level', async () => {
    const sessionId = (await request('POST', '/api/sessions', { json: { size: 4 }, headers: { cookie: COOKIE } })).body.id;
    const joined = await request('POST', `/api/game_sessions/${sessionId}/join`, { json: { client_id: 'logged-client' } });
    const clientToken: string = joined.body.client_token;
    assert.ok(clientToken.length > 20);
    // The token in the header, in the body, and in a query string; the admin password as Bearer and as Basic.
    await request('POST', `/api/game_sessions/${sessionId}/toggle_readiness?client_token=${clientToken}`, {
      json: { client_id: 'logged-client', ready: true, client_token: clientToken },
      headers: { 'x-client-token': clientToken, cookie: COOKIE },
    });
    await request('GET', '/api/sessions', { admin: true });
    await fetch(`${TEST_BASE_URL}/monitor`, { headers: { authorization: `Basic ${Buffer.from(`admin:${TEST_ADMIN_PASSWORD}`).toString('base64')}` } });
    await fetch(`${TEST_BASE_URL}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const room = await labyrinthClient(TEST_BASE_URL).joinOrCreate('labyrinth', { sessionId, clientId: 'logged-client', clientToken });
    await room.leave(true);

    const logged = lines.join('\n');
    // The requests were logged, with their headers (so the test would see a leak).
    assert.match(logged, /"url":"\/api\/game_sessions\/[^"]+\/toggle_readiness"/);
    assert.match(logged, /"x-client-token":"\[redacted\]"/);
    assert.match(logged, /"authorization":"\[redacted\]"/);
    assert.match(logged, /"cookie":"\[redacted\]"/);
    for (const secret of [
      clientToken,
      TEST_ADMIN_PASSWORD,
      Buffer.from(`admin:${TEST_ADMIN_PASSWORD}`).toString('base64'),
      METRICS_TOKEN,
      'cookie-secret-4242',
    ]) {
      assert.ok(!logged.includes(secret), `the logs contain a secret: ${secret.slice(0, 6)}…`);
    }
  });
});
