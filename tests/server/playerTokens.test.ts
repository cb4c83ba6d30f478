import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { matchMaker } from '@colyseus/core';
import type { ColyseusTestServer } from '@colyseus/testing';
import { SignJWT } from 'jose';
import { WebSocket } from 'ws';
import { SEAT_TAKEN_OVER_CLOSE_CODE } from '../../rooms/closeCodes.ts';
import type { WelcomeMessage } from '../../rooms/labyrinthProtocol.ts';
import { createAppServer } from '../../src/app.ts';
import { createLogger } from '../../src/logger.ts';
import { readAuditTrail } from '../support/auditTrail.ts';
import { request, type JsonResponse } from '../support/httpClient.ts';
import { forgedToken, tamperedToken, TEST_AUDIENCE, TEST_ISSUER, testIdentityProvider, TestIdentityProvider } from '../support/identityProvider.ts';
import { bootTestServer, leaveOpenRooms, listenForTests, resetTestDatabase, roomTestServer, TEST_BASE_URL, testConfig } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';
import { labyrinthClient, whoami, type LabyrinthClient, type LabyrinthRoom } from '../support/labyrinthClient.ts';

// Players who are the game's own accounts: the SDK's `client.auth.token` (a JWT from the game's
// identity provider) signs them in, on a real server with the real SDK. The provider is a JSON Web
// Key Set served on loopback (tests/support/identityProvider.ts) with RS256 keys.

const SERVER_SETTINGS = { COUNTDOWN_SECONDS: '30', RECONNECT_SECONDS: '5', AUTH_ADMIN_CLAIM: 'roles=admin' };
const now = () => Math.floor(Date.now() / 1000);

async function createSession(): Promise<string> {
  const created = await request('POST', '/api/sessions', { json: { size: 6, seed: `tokens-${randomUUID()}` } });
  assert.equal(created.status, 201);
  return created.body.id;
}

/** An SDK client that sends `token` with every matchmaking request, as `client.auth.token = …` does. */
function signedInClient(token: string): LabyrinthClient {
  const client = labyrinthClient(TEST_BASE_URL);
  client.auth.token = token;
  return client;
}

const playerIn = (room: LabyrinthRoom, clientId: string) => room.state.players?.get(clientId);

async function joinRefusal(join: Promise<unknown>): Promise<{ code: number; message: string }> {
  return join.then(
    () => assert.fail('the join should have been refused'),
    (error: { code: number; message: string }) => error,
  );
}

async function scrape(): Promise<string> {
  return String((await request('GET', '/metrics', { admin: true })).body);
}

function sample(metrics: string, series: string): number {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe('players signed in with a token from the identity provider', () => {
  const provider = testIdentityProvider('key-1');
  const { openRooms, restart } = roomTestServer({ ...SERVER_SETTINGS, ...TestIdentityProvider.settingsFor() });

  async function join(token: string, options: Record<string, unknown>): Promise<LabyrinthRoom> {
    const room = await signedInClient(token).joinOrCreate('labyrinth', options);
    openRooms.push(room);
    room.onMessage('error', () => undefined);
    return room;
  }

  it("seats a signed-in player as its token's subject, named by its name claim, everywhere", async () => {
    const sessionId = await createSession();
    const alice = await join(await provider().sign('key-1', 'auth0|alice-1', { name: 'Alice' }), { sessionId });
    const bob = await join(await provider().sign('key-1', 'bob-2', { name: 'Bob' }), { sessionId, name: 'Bobby' });

    const aliceSeen = await waitFor(() => playerIn(bob, 'sub:auth0|alice-1'), 'bob to see alice');
    assert.equal(aliceSeen.name, 'Alice');
    assert.equal((await waitFor(() => playerIn(alice, 'sub:bob-2'), 'alice to see bob')).name, 'Bobby', 'a name given at the join wins over the claim');
    const { limits: _limits, ...welcome }: WelcomeMessage = await whoami(alice);
    assert.deepEqual(welcome, { sessionId, clientId: 'sub:auth0|alice-1', clientToken: '', spectator: false });

    // The database's seats and the audit trail know the player by the same id.
    const clients = await request('GET', `/api/game_sessions/${sessionId}/clients`);
    assert.deepEqual(clients.body.clients.map((client: { client_id: string }) => client.client_id).sort(), ['sub:auth0|alice-1', 'sub:bob-2']);
    alice.send('ready', { ready: true });
    await waitFor(() => playerIn(bob, 'sub:auth0|alice-1')?.ready, 'alice ready');
    await waitFor(
      async () => (await readAuditTrail(sessionId, { admin: true })).some((entry) => entry.type === 'ready_changed' && entry.actor === 'sub:auth0|alice-1'),
      'the readiness in the trail',
    );
  });

  it('gives a subject that does not fit an id its digest, never a part of it', async () => {
    const sessionId = await createSession();
    const subject = `CN=Alice Smith, O=Example ${'x'.repeat(130)}`;
    const room = await join(await provider().sign('key-1', subject, { name: 'Alice' }), { sessionId });
    const { clientId } = await whoami(room);
    assert.match(clientId, /^sub@[A-Za-z0-9_-]{43}$/);
    assert.equal((await waitFor(() => playerIn(room, clientId), 'the player under its digest id')).name, 'Alice');
    // The same subject is the same player (the seat taken over), another one another player.
    const again = await join(await provider().sign('key-1', subject), { sessionId });
    assert.equal((await whoami(again)).clientId, clientId);
    const other = await join(await provider().sign('key-1', `${subject}!`), { sessionId });
    assert.notEqual((await whoami(other)).clientId, clientId);
  });

  it('gives the seat to the newer client when the same player joins from a second one', async () => {
    const sessionId = await createSession();
    const first = await join(await provider().sign('key-1', 'carol'), { sessionId });
    first.send('ready', { ready: true });
    await waitFor(() => playerIn(first, 'sub:carol')?.ready, 'carol ready');
    const closed = new Promise<number>((resolve) => first.onLeave((code) => resolve(code)));
    const second = await join(await provider().sign('key-1', 'carol'), { sessionId });
    assert.equal(await closed, SEAT_TAKEN_OVER_CLOSE_CODE);
    const seat = await waitFor(() => playerIn(second, 'sub:carol'), 'the seat on the second client');
    assert.equal(seat.ready, true, 'the seat, readiness included, moved over');
    assert.equal(second.state.players.size, 1);
  });

  it('takes a signed-in player back to its seat after a drop and after a server restart', async () => {
    const sessionId = await createSession();
    const dave = await join(await provider().sign('key-1', 'dave'), { sessionId });
    dave.reconnection.minUptime = 0;
    dave.send('ready', { ready: true });
    await waitFor(() => playerIn(dave, 'sub:dave')?.ready, 'dave ready');
    const serverRoom = matchMaker.getLocalRoomById(dave.roomId);
    (serverRoom.clients.find((client) => client.sessionId === dave.sessionId)!.ref as unknown as WebSocket).terminate();
    await waitFor(() => playerIn(dave, 'sub:dave')?.connected === true && dave.connection.isOpen, 'dave reconnected by the SDK');

    await restart();
    const back = await join(await provider().sign('key-1', 'dave'), { sessionId });
    const seat = await waitFor(() => playerIn(back, 'sub:dave'), 'dave seated after the restart');
    assert.equal(seat.ready, true, 'the seat kept its readiness through the restart');
  });

  it('refuses every bad token with 401, a code, and a message naming what was wrong', async () => {
    const sessionId = await createSession();
    const valid = await provider().sign('key-1', 'erin');
    const { spki, kid } = { ...provider().key('key-1') };
    const otherKey = await provider().addKey('never-published', { publish: false });
    const cases: [reason: string, token: string, says: RegExp][] = [
      ['token_expired', await provider().sign('key-1', 'erin', { exp: now() - 120 }), /expired/],
      ['token_not_yet_valid', await provider().sign('key-1', 'erin', { nbf: now() + 120 }), /not valid yet/],
      ['token_wrong_issuer', await provider().sign('key-1', 'erin', { iss: 'https://someone-else.example/' }), /not issued by this game's identity provider/],
      ['token_wrong_audience', await provider().sign('key-1', 'erin', { aud: 'another-game' }), /not meant for this game/],
      [
        'token_algorithm_not_allowed',
        forgedToken({ alg: 'none', typ: 'JWT' }, { iss: TEST_ISSUER, aud: TEST_AUDIENCE, sub: 'erin', exp: now() + 600 }),
        /signed with none/,
      ],
      // The classic confusion: HS256 "signed" with the provider's public key as the shared secret.
      [
        'token_algorithm_not_allowed',
        await new SignJWT({ iss: TEST_ISSUER, aud: TEST_AUDIENCE, sub: 'erin', exp: now() + 600 })
          .setProtectedHeader({ alg: 'HS256', kid })
          .sign(new TextEncoder().encode(spki)),
        /signed with HS256/,
      ],
      ['token_invalid_signature', tamperedToken(valid, { sub: 'mallory' }), /signature does not verify/],
      ['token_invalid_signature', await provider().sign(otherKey.kid, 'erin'), /a key the identity provider does not publish/],
      ['token_missing_subject', await provider().sign('key-1', undefined), /names no player/],
      ['token_missing_subject', await provider().sign('key-1', '', {}), /names no player/],
      ['token_missing_expiry', await provider().sign('key-1', 'erin', { exp: undefined }), /never expires/],
      ['token_malformed', 'not-a-token', /not a well-formed JWT/],
      ['token_malformed', 'a.b.c', /not a well-formed JWT/],
    ];
    const before = await scrape();
    for (const [reason, token, says] of cases) {
      const refused = await joinRefusal(signedInClient(token).joinOrCreate('labyrinth', { sessionId }));
      assert.equal(refused.code, 401, `${reason}: ${refused.message}`);
      assert.match(refused.message, says, reason);
      // What was wrong, never with which key: neither the key's id nor any of its material.
      assert.ok(!refused.message.includes(kid) && !refused.message.includes('BEGIN') && !refused.message.includes(otherKey.kid), refused.message);
    }
    // Nobody got a seat, and the refusals are counted by reason.
    assert.deepEqual((await request('GET', `/api/game_sessions/${sessionId}/clients`)).body.clients, []);
    const after = await scrape();
    for (const reason of new Set(cases.map(([name]) => name))) {
      const count = cases.filter(([name]) => name === reason).length;
      assert.equal(
        sample(after, `labyrinth_tokens_refused_total{reason="${reason}"}`) - sample(before, `labyrinth_tokens_refused_total{reason="${reason}"}`),
        count,
        reason,
      );
      assert.equal(
        sample(after, `labyrinth_joins_refused_total{reason="${reason}"}`) - sample(before, `labyrinth_joins_refused_total{reason="${reason}"}`),
        count,
        reason,
      );
    }
    // The valid token still gets in.
    await join(valid, { sessionId });
  });

  it("follows the provider's key rotation without a restart", async () => {
    const sessionId = await createSession();
    await join(await provider().sign('key-1', 'frank'), { sessionId });
    const fetchesBefore = provider().fetches;
    // The provider publishes a new key, then signs with it: the server has the old set cached.
    await provider().addKey('key-2');
    const grace = await join(await provider().sign('key-2', 'grace'), { sessionId });
    await waitFor(() => playerIn(grace, 'sub:grace'), 'grace seated with a token of the new key');
    assert.equal(provider().fetches - fetchesBefore, 1, 'the key set fetched once more for the new kid');
    // Both keys now verify without another fetch.
    await join(await provider().sign('key-1', 'heidi'), { sessionId });
    await join(await provider().sign('key-2', 'ivan'), { sessionId });
    assert.equal(provider().fetches - fetchesBefore, 1);
  });

  it('does not fetch the key set for every made-up key id', async () => {
    const sessionId = await createSession();
    await join(await provider().sign('key-1', 'judy'), { sessionId });
    const fetchesBefore = provider().fetches;
    const stranger = await provider().addKey('made-up', { publish: false });
    for (let attempt = 0; attempt < 20; attempt++) {
      const refused = await joinRefusal(signedInClient(await provider().sign(stranger.kid, 'judy')).joinOrCreate('labyrinth', { sessionId }));
      assert.equal(refused.code, 401);
    }
    assert.ok(provider().fetches - fetchesBefore <= 5, `${provider().fetches - fetchesBefore} fetches for 20 tokens of an unknown key`);
  });

  it('refuses guests: with a key set, AUTH_GUESTS is off unless set', async () => {
    const sessionId = await createSession();
    const refused = await joinRefusal(labyrinthClient(TEST_BASE_URL).joinOrCreate('labyrinth', { sessionId, clientId: 'a-guest' }));
    assert.equal(refused.code, 401);
    assert.match(refused.message, /signed-in players only/);
    const quickPlay = await joinRefusal(labyrinthClient(TEST_BASE_URL).joinOrCreate('labyrinth', { clientId: 'a-guest' }));
    assert.equal(quickPlay.code, 401);
    const overHttp = await request('POST', `/api/game_sessions/${sessionId}/join`, { json: { client_id: 'a-guest' } });
    assert.equal(overHttp.status, 401);
    assert.equal(overHttp.body.error.code, 'token_required');
    assert.deepEqual((await request('GET', `/api/game_sessions/${sessionId}/clients`)).body.clients, []);
  });

  it("refuses a token joined with another player's clientId", async () => {
    const sessionId = await createSession();
    const refused = await joinRefusal(signedInClient(await provider().sign('key-1', 'kim')).joinOrCreate('labyrinth', { sessionId, clientId: 'sub:leo' }));
    assert.equal(refused.code, 400);
    assert.match(refused.message, /signs in sub:kim, not sub:leo/);
  });

  it('signs the same token in on the old HTTP API, and refuses bad tokens there with 401', async () => {
    const sessionId = await createSession();
    const token = await provider().sign('key-1', 'mia');
    const joined = await request('POST', `/api/game_sessions/${sessionId}/join`, { json: {}, ...bearer(token) });
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
    assert.equal(joined.body.client_token, '');
    const state = await request('GET', '/api/game_sessions/client_state/sub:mia');
    assert.equal(state.body.connected_session, sessionId);
    const ready = await request('POST', `/api/game_sessions/${sessionId}/toggle_readiness`, { json: { ready: true }, ...bearer(token) });
    assert.deepEqual(ready.body.players, [{ client_id: 'sub:mia', ready: true }]);
    // Someone else's client_id with the token is refused; so is acting as mia without it.
    const mismatch = await request('POST', `/api/game_sessions/${sessionId}/toggle_readiness`, {
      json: { client_id: 'sub:nina', ready: false },
      ...bearer(token),
    });
    assert.equal(mismatch.status, 422);
    assert.equal(mismatch.body.error.code, 'token_client_mismatch');
    assert.equal((await request('POST', '/api/game_sessions/leave', { json: { client_id: 'sub:mia' } })).status, 401);

    const expired = await provider().sign('key-1', 'mia', { exp: now() - 120 });
    for (const [method, path, json] of [
      ['POST', `/api/game_sessions/${sessionId}/join`, {}],
      ['POST', '/api/game_sessions/leave', {}],
      ['GET', '/api/sessions', undefined],
      ['GET', `/api/sessions/${sessionId}`, undefined],
    ] as const) {
      const refused = await request(method, path, { ...(json ? { json } : {}), ...bearer(expired) });
      assert.equal(refused.status, 401, `${method} ${path}`);
      assert.equal(refused.body.error.code, 'token_expired');
      assert.match(String(refused.headers.get('www-authenticate')), /^Bearer .*invalid_token/);
    }
    // On a route that acts as a player, any bearer credential is a token: one that is not a JWT is malformed.
    const garbage = await request('POST', '/api/game_sessions/leave', { json: {}, ...bearer('not-a-jwt') });
    assert.equal(garbage.status, 401);
    assert.equal(garbage.body.error.code, 'token_malformed');

    const left = await request('POST', '/api/game_sessions/leave', { json: {}, ...bearer(token) });
    assert.equal(left.status, 200);
  });

  it('lets a token with the admin claim do what the admin password does, /monitor included', async () => {
    const sessionId = await createSession();
    const admin = await provider().sign('key-1', 'olga', { roles: ['player', 'admin'] });
    const player = await provider().sign('key-1', 'pete', { roles: ['player'] });

    assert.equal((await request('GET', `/api/sessions/${sessionId}`, bearer(player))).body.seed, null, 'a player sees no seed during the round');
    assert.equal(typeof (await request('GET', `/api/sessions/${sessionId}`, bearer(admin))).body.seed, 'string', 'an admin does');
    assert.equal((await request('GET', '/metrics', bearer(admin))).status, 200);
    assert.equal((await fetch(`${TEST_BASE_URL}/monitor/api`, bearer(admin))).status, 200);

    const notAdmin = await request('GET', '/metrics', bearer(player));
    assert.equal(notAdmin.status, 403);
    assert.equal(notAdmin.body.error.code, 'metrics_credentials_required');
    assert.equal((await request('GET', `/api/sessions/${sessionId}/labyrinth`, bearer(player))).body.error.code, 'maze_hidden');
    assert.equal((await fetch(`${TEST_BASE_URL}/monitor/api`, bearer(player))).status, 403);
    assert.equal((await request('DELETE', `/api/sessions/${sessionId}`, bearer(player))).status, 403);
    assert.equal((await request('DELETE', `/api/sessions/${sessionId}`, bearer(admin))).status, 204);
  });
});

describe('tokens and guests on one server (AUTH_GUESTS=true)', () => {
  const provider = testIdentityProvider('key-1');
  const { sdk, openRooms } = roomTestServer({ ...SERVER_SETTINGS, ...TestIdentityProvider.settingsFor(undefined, { AUTH_GUESTS: 'true' }) });

  it('seats guests and signed-in players together, and keeps signed-in ids from guests', async () => {
    const sessionId = await createSession();
    const guest = await sdk.joinOrCreate('labyrinth', { sessionId, clientId: 'quinn' });
    openRooms.push(guest);
    const player = await signedInClient(await provider().sign('key-1', 'rosa')).joinOrCreate('labyrinth', { sessionId });
    openRooms.push(player);
    await waitFor(() => playerIn(guest, 'sub:rosa') && playerIn(player, 'quinn'), 'both seated');
    assert.match((await whoami(guest)).clientToken, /^[A-Za-z0-9_-]{20,}$/);

    for (const stolen of ['sub:rosa', 'sub@anything']) {
      const refused = await joinRefusal(sdk.joinOrCreate('labyrinth', { sessionId, clientId: stolen }));
      assert.equal(refused.code, 400, stolen);
      assert.match(refused.message, /signed-in players/);
    }
    // A bad token is refused, not taken for a guest.
    const refused = await joinRefusal(signedInClient('not-a-token').joinOrCreate('labyrinth', { sessionId, clientId: 'quinn-2' }));
    assert.equal(refused.code, 401);
  });

  it('signs nobody in from the join options: only a verified token does', async () => {
    const sessionId = await createSession();
    // What the static onAuth hands the room for a verified token, forged by the client itself.
    const forged = { signedIn: { clientId: 'sub:rosa', name: 'Rosa' } };
    const guest = await sdk.joinOrCreate('labyrinth', { sessionId, clientId: 'sam', ...forged });
    openRooms.push(guest);
    await waitFor(() => playerIn(guest, 'sam'), 'sam seated as the guest it is');
    assert.equal(playerIn(guest, 'sub:rosa'), undefined);
    assert.equal((await joinRefusal(sdk.joinOrCreate('labyrinth', { sessionId, ...forged }))).code, 400);
    const overHttp = await request('POST', `/api/game_sessions/${sessionId}/join`, { json: { client_id: 'sub:rosa' } });
    assert.equal(overHttp.status, 422);
    assert.equal(overHttp.body.error.code, 'reserved_client_id');
  });
});

describe('the identity provider out of reach', () => {
  const provider = testIdentityProvider('key-1');
  let server: ColyseusTestServer;
  const logged: string[] = [];
  const openRooms: LabyrinthRoom[] = [];

  before(async () => {
    await resetTestDatabase();
    const config = testConfig({ ...SERVER_SETTINGS, ...TestIdentityProvider.settingsFor(), LOG_LEVEL: 'info' });
    const logger = createLogger('info', 'json', { write: (line: string) => void logged.push(line) });
    server = await listenForTests(await createAppServer({ config, logger, handleSignals: false }));
  });
  after(async () => {
    await leaveOpenRooms(openRooms);
    await server.shutdown();
    await resetTestDatabase();
  });

  it('keeps verifying with the keys it has, says so for a key it lacks, and logs the outage once', async () => {
    const sessionId = await createSession();
    openRooms.push(await signedInClient(await provider().sign('key-1', 'sam')).joinOrCreate('labyrinth', { sessionId }));
    await provider().addKey('key-3');
    await provider().stop();

    // A cached key keeps working.
    openRooms.push(await signedInClient(await provider().sign('key-1', 'tina')).joinOrCreate('labyrinth', { sessionId }));
    // A key the server never fetched cannot be: the refusal says why, and it is not the token's fault.
    for (let attempt = 0; attempt < 3; attempt++) {
      const refused = await joinRefusal(signedInClient(await provider().sign('key-3', 'uma')).joinOrCreate('labyrinth', { sessionId }));
      assert.equal(refused.code, 503);
      assert.match(refused.message, /identity provider's keys cannot be fetched/);
    }
    const bearerRefused = await request('GET', '/api/sessions', bearer(await provider().sign('key-3', 'uma')));
    assert.equal(bearerRefused.status, 503);
    assert.equal(bearerRefused.body.error.code, 'token_keys_unavailable');
    const warnings = logged.filter((line) => line.includes('cannot be fetched'));
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.ok(!warnings[0]!.includes('BEGIN'), 'no key material in the log');

    // Back: the new key is fetched (the fourth try for it of five the limit allows at once), and logged once.
    await provider().resume();
    const uma = await signedInClient(await provider().sign('key-3', 'uma')).joinOrCreate('labyrinth', { sessionId });
    openRooms.push(uma);
    await waitFor(() => playerIn(uma, 'sub:uma'), 'uma seated with the new key');
    assert.equal(logged.filter((line) => line.includes('can be fetched again')).length, 1);
  });
});

describe('bad tokens count as failed logins', () => {
  const provider = testIdentityProvider('key-1');
  let server: ColyseusTestServer;
  const from = (address: string, token: string) => ({ headers: { 'x-forwarded-for': address, authorization: `Bearer ${token}` } });

  before(async () => {
    await resetTestDatabase();
    server = await bootTestServer({ ...TestIdentityProvider.settingsFor(), ADMIN_LOGIN_FAILURES: '3', TRUST_PROXY: 'loopback' });
  });
  after(async () => {
    await server.shutdown();
  });

  it('refuses every token from an address after ADMIN_LOGIN_FAILURES bad ones, a good one too, until the window ends', async () => {
    const bad = await provider().sign('key-1', 'vera', { aud: 'another-game' });
    const good = await provider().sign('key-1', 'vera');
    const answers: JsonResponse[] = [];
    for (let attempt = 0; attempt < 5; attempt++) answers.push(await request('GET', '/api/sessions', from('203.0.113.7', bad)));
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [401, 401, 401, 429, 429],
    );
    const locked = await request('GET', '/api/sessions', from('203.0.113.7', good));
    assert.equal(locked.status, 429);
    assert.equal(locked.body.error.code, 'too_many_failed_logins');
    assert.ok(Number(locked.headers.get('retry-after')) > 0);
    // Another address is not affected.
    assert.equal((await request('GET', '/api/sessions', from('203.0.113.8', good))).status, 200);
  });
});

describe('tokens signed with a shared secret or a known public key', () => {
  const provider = testIdentityProvider('backend');
  let server: ColyseusTestServer | undefined;
  const openRooms: LabyrinthRoom[] = [];
  const SECRET = 'a-shared-secret-of-at-least-32-characters';
  const claims = () => ({ iss: TEST_ISSUER, aud: TEST_AUDIENCE, exp: now() + 600 });

  before(async () => {
    await provider().addKey('stranger', { publish: false });
  });
  afterEach(async () => {
    await leaveOpenRooms(openRooms);
    await server?.shutdown();
    await resetTestDatabase();
  });

  async function joins(token: string): Promise<LabyrinthRoom> {
    const room = await signedInClient(token).joinOrCreate('labyrinth', { sessionId: await createSession() });
    openRooms.push(room);
    return room;
  }

  it('accepts HS256 tokens of the secret (AUTH_JWT_SECRET), and nothing else', async () => {
    server = await bootTestServer({ AUTH_JWT_SECRET: SECRET, AUTH_ISSUER: TEST_ISSUER, AUTH_AUDIENCE: TEST_AUDIENCE });
    const room = await joins(
      await new SignJWT({ ...claims(), sub: 'wes', name: 'Wes' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET)),
    );
    assert.equal((await waitFor(() => playerIn(room, 'sub:wes'), 'wes seated')).name, 'Wes');

    const wrongSecret = await new SignJWT({ ...claims(), sub: 'wes' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(`${SECRET}-not`));
    assert.match((await joinRefusal(joins(wrongSecret))).message, /signature does not verify/);
    const rs256 = await provider().sign('backend', 'wes');
    const refused = await joinRefusal(joins(rs256));
    assert.equal(refused.code, 401);
    assert.match(refused.message, /signed with RS256, which this server does not accept \(it accepts HS256\)/);
  });

  it('accepts tokens signed by the private half of AUTH_JWT_PUBLIC_KEY, and nothing else', async () => {
    const { spki } = provider().key('backend');
    server = await bootTestServer({ AUTH_JWT_PUBLIC_KEY: spki.replaceAll('\n', '\\n'), AUTH_ISSUER: TEST_ISSUER, AUTH_AUDIENCE: TEST_AUDIENCE });
    const room = await joins(await provider().sign('backend', 'xena'));
    await waitFor(() => playerIn(room, 'sub:xena'), 'xena seated');

    assert.match((await joinRefusal(joins(await provider().sign('stranger', 'xena')))).message, /signature does not verify/);
    const confused = await new SignJWT({ ...claims(), sub: 'xena' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(spki));
    assert.match((await joinRefusal(joins(confused))).message, /signed with HS256/);
  });
});
