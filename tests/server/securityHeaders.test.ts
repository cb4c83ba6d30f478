import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import { request } from '../support/httpClient.ts';
import { bootTestServer, TEST_BASE_URL } from '../support/testServer.ts';

// Every answer carries the security headers (src/http/edge/securityHeaders.ts); the browser test
// (tests/browser/securityHeaders.test.ts) checks that the pages work under them.

describe('security headers', () => {
  let server: ColyseusTestServer;
  before(async () => {
    server = await bootTestServer({ PUBLIC_ADDRESS: 'game.example.com/{port}' });
  });
  after(async () => {
    await server.shutdown();
  });

  it('on API answers, errors, the demo, the docs and the monitor: nosniff, a CSP and no framing', async () => {
    const answers = [
      await request('GET', '/api/sessions'),
      await request('GET', '/api/sessions/not-a-session'),
      await request('DELETE', '/api/sessions'),
      await request('GET', '/no-such-route'),
      await request('GET', '/health'),
    ];
    const pages = await Promise.all(['/', '/docs/', '/monitor/', '/openapi.json'].map((path) => fetch(`${TEST_BASE_URL}${path}`)));
    for (const { headers } of [...answers, ...pages]) {
      assert.equal(headers.get('x-content-type-options'), 'nosniff');
      assert.equal(headers.get('x-frame-options'), 'DENY');
      const policy = headers.get('content-security-policy') ?? '';
      assert.match(policy, /frame-ancestors 'none'/);
      assert.match(policy, /default-src 'self'/);
      assert.match(policy, /script-src 'self';/);
      assert.doesNotMatch(policy, /unsafe-eval|upgrade-insecure-requests/);
    }
  });

  it("lets pages open room sockets to PUBLIC_ADDRESS's host, on any port (each process has its own)", async () => {
    const policy = (await request('GET', '/health')).headers.get('content-security-policy') ?? '';
    assert.match(policy, /connect-src 'self' ws:\/\/game\.example\.com:\* wss:\/\/game\.example\.com:\*/);
  });

  it('allows inline styles only on the pages that need them, never inline scripts', async () => {
    const policyOf = async (path: string) => (await fetch(`${TEST_BASE_URL}${path}`)).headers.get('content-security-policy') ?? '';
    assert.doesNotMatch(await policyOf('/'), /unsafe-inline/);
    assert.doesNotMatch(await policyOf('/docs/'), /unsafe-inline/);
    assert.match(await policyOf('/monitor/'), /style-src 'self' 'unsafe-inline'/);
    for (const path of ['/', '/docs/', '/monitor/']) assert.match(await policyOf(path), /script-src 'self';/);
  });
});
