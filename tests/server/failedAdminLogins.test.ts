import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import { request, type JsonResponse } from '../support/httpClient.ts';
import { bootTestServer, resetTestDatabase, TEST_ADMIN_PASSWORD } from '../support/testServer.ts';

// Guessing the admin password (or the metrics token) is slowed per client address: past
// ADMIN_LOGIN_FAILURES wrong credentials in 15 minutes, that address's admin requests answer 429.
// TRUST_PROXY=loopback lets each test speak from several addresses through X-Forwarded-For.

const FAILURES = 10;
const METRICS_TOKEN = 'metrics-token-for-lockout-tests';

const basic = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
const from = (address: string, authorization?: string) => ({
  headers: { 'x-forwarded-for': address, ...(authorization === undefined ? {} : { authorization }) },
});

function assertLockedOut(response: JsonResponse): void {
  assert.equal(response.status, 429, JSON.stringify(response.body));
  assert.equal(response.body.error.code, 'too_many_failed_logins');
  const retryAfter = Number(response.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= 15 * 60, `Retry-After: ${response.headers.get('retry-after')}`);
}

/** A sample of the admin-authentication refusal counter, from `/metrics`. */
async function refusals(reason: string): Promise<number> {
  const metrics = String((await request('GET', '/metrics', from('198.51.100.99', `Bearer ${METRICS_TOKEN}`))).body);
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(`labyrinth_admin_auth_refused_total{reason="${reason}"} `));
  return line === undefined ? 0 : Number(line.split(' ')[1]);
}

describe('failed admin logins', () => {
  let server: ColyseusTestServer | undefined;

  beforeEach(async () => {
    await resetTestDatabase();
    server = await bootTestServer({ ADMIN_LOGIN_FAILURES: String(FAILURES), TRUST_PROXY: 'loopback', METRICS_TOKEN });
  });
  afterEach(async () => {
    await server?.shutdown();
    server = undefined;
  });

  it('answers 429 with Retry-After after ADMIN_LOGIN_FAILURES wrong passwords, the right one too, and counts them', async () => {
    const guesser = '203.0.113.7';
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 150; attempt += 1) {
      const response = await request('DELETE', '/api/sessions', from(guesser, `Bearer wrong-password-${attempt}`));
      statuses.push(response.status);
      if (response.status === 429) assertLockedOut(response);
    }
    assert.deepEqual(statuses, [...Array<number>(FAILURES).fill(401), ...Array<number>(150 - FAILURES).fill(429)]);
    // Basic, the old API's admin route and the right password: all refused from that address now.
    assertLockedOut(await request('DELETE', '/api/sessions', from(guesser, basic('still-wrong'))));
    assertLockedOut(await request('DELETE', '/api/sessions', from(guesser, `Bearer ${TEST_ADMIN_PASSWORD}`)));
    assertLockedOut(await request('GET', '/metrics', from(guesser, `Bearer ${METRICS_TOKEN}`)));
    assert.equal(await refusals('wrong_credentials'), FAILURES);
    assert.ok((await refusals('locked_out')) >= 150 - FAILURES + 3);

    // The admin, from another address, is not locked out.
    assert.equal((await request('DELETE', '/api/sessions', from('198.51.100.1', `Bearer ${TEST_ADMIN_PASSWORD}`))).status, 200);
    assert.equal((await request('DELETE', '/api/sessions', from('198.51.100.1', basic(TEST_ADMIN_PASSWORD)))).status, 200);
  });

  it('counts only failures: successes and requests without credentials (a browser before its prompt) are free', async () => {
    const admin = '203.0.113.8';
    for (let attempt = 0; attempt < FAILURES - 1; attempt += 1) {
      assert.equal((await request('DELETE', '/api/sessions', from(admin, 'Bearer a-typo-in-the-password'))).status, 401);
    }
    for (let attempt = 0; attempt < 3 * FAILURES; attempt += 1) {
      assert.equal((await request('DELETE', '/api/sessions', from(admin, `Bearer ${TEST_ADMIN_PASSWORD}`))).status, 200);
      assert.equal((await request('GET', '/monitor/', from(admin))).status, 401);
    }
    assert.equal((await request('DELETE', '/api/sessions', from(admin, 'Bearer the-last-try'))).status, 401);
    assertLockedOut(await request('DELETE', '/api/sessions', from(admin, `Bearer ${TEST_ADMIN_PASSWORD}`)));
  });

  it('limits /monitor, and /metrics guessed with wrong tokens', async () => {
    for (let attempt = 0; attempt < FAILURES; attempt += 1) {
      assert.equal((await request('GET', '/monitor/', from('203.0.113.9', basic(`guess-${attempt}`)))).status, 401);
    }
    assertLockedOut(await request('GET', '/monitor/', from('203.0.113.9', basic(TEST_ADMIN_PASSWORD))));
    assert.equal((await request('GET', '/monitor/', from('198.51.100.2', basic(TEST_ADMIN_PASSWORD)))).status, 200);

    for (let attempt = 0; attempt < FAILURES; attempt += 1) {
      assert.equal((await request('GET', '/metrics', from('203.0.113.10', `Bearer token-guess-number-${attempt}`))).status, 401);
    }
    assertLockedOut(await request('GET', '/metrics', from('203.0.113.10', `Bearer ${METRICS_TOKEN}`)));
  });

  it('a wrong password on a public route counts too, and a locked-out address is not shown what admins see', async () => {
    const created = await request('POST', '/api/sessions', { json: { size: 4 } });
    const seedOf = async (authorization: string, address: string) =>
      (await request('GET', `/api/sessions/${created.body.id}`, from(address, authorization))).body.seed as unknown;
    const guesser = '203.0.113.11';
    assert.notEqual(await seedOf(`Bearer ${TEST_ADMIN_PASSWORD}`, guesser), null);
    for (let attempt = 0; attempt < FAILURES; attempt += 1) await seedOf(`Bearer guess-${attempt}-of-many`, guesser);
    assert.equal(await seedOf(`Bearer ${TEST_ADMIN_PASSWORD}`, guesser), null);
    assertLockedOut(await request('DELETE', '/api/sessions', from(guesser, `Bearer ${TEST_ADMIN_PASSWORD}`)));
    assert.notEqual(await seedOf(`Bearer ${TEST_ADMIN_PASSWORD}`, '198.51.100.3'), null);
  });
});
