import assert from 'node:assert/strict';
import { BANNED_CLOSE_CODE, KICKED_CLOSE_CODE } from '../../rooms/closeCodes.ts';
import { testIdentityProvider, TestIdentityProvider } from '../support/identityProvider.ts';
import { httpTo, type ServerProcess } from '../support/serverProcess.ts';
import { twoServerProcesses } from '../support/twoServerProcesses.ts';
import { waitFor } from '../support/waitFor.ts';
import type { UntypedJson } from '../support/httpClient.ts';
import { labyrinthClient, whoami, type LabyrinthClient, type LabyrinthRoom } from '../support/labyrinthClient.ts';

// Kicks and bans across two real server processes sharing Redis and PostgreSQL: an admin's request
// to one process removes a player from a room the other one holds, and a banned identity cannot
// come back through either, by socket, REST or the old API. Players sign in with tokens from an
// identity provider on loopback; guests play too (AUTH_GUESTS=true).

const PORTS = [2626, 2627] as const;

describe('kicks and bans across two server processes', function () {
  this.timeout(60_000);
  const provider = testIdentityProvider('key-1');
  const cluster = twoServerProcesses(PORTS, (services) => ({
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl,
    PUBLIC_ADDRESS: '127.0.0.1:{port}',
    COUNTDOWN_SECONDS: '30',
    ...TestIdentityProvider.settingsFor(undefined, { AUTH_GUESTS: 'true', AUTH_ADMIN_CLAIM: 'roles=admin' }),
  }));

  async function createSession(server: ServerProcess): Promise<string> {
    const created = await httpTo(server, 'POST', '/api/sessions', { size: 6 });
    assert.equal(created.status, 201);
    return created.body.id;
  }

  function clientOf(server: ServerProcess, token?: string): LabyrinthClient {
    const client = labyrinthClient(server.url);
    if (token) client.auth.token = token;
    return client;
  }

  async function join(server: ServerProcess, options: Record<string, unknown>, token?: string): Promise<LabyrinthRoom> {
    const room = await clientOf(server, token).joinOrCreate('labyrinth', options);
    cluster.openRooms.push(room);
    room.onMessage('error', () => undefined);
    return room;
  }

  async function refusedJoin(server: ServerProcess, options: Record<string, unknown>, token?: string): Promise<number> {
    return clientOf(server, token)
      .joinOrCreate('labyrinth', options)
      .then(
        () => assert.fail('the join should have been refused'),
        (error: { code: number }) => error.code,
      );
  }

  /** A request as the player whose token it is (not the admin). */
  async function asPlayer(server: ServerProcess, method: string, path: string, token: string, json?: unknown): Promise<{ status: number; body: UntypedJson }> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  const closeOf = (room: LabyrinthRoom) => new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
  const playerIn = (room: LabyrinthRoom, clientId: string) => room.state.players?.get(clientId);

  it('bans through one process what plays on the other, and keeps it out of both, by socket, REST and the old API', async () => {
    const sessionId = await createSession(cluster.processA);
    const elsewhere = await createSession(cluster.processA);
    const token = await provider().sign('key-1', 'zoe', { name: 'Zoe' });
    // Zoe plays in a room held by B, and watches another held by A; a guest plays beside her.
    const zoe = await join(cluster.processB, { sessionId }, token);
    const watching = await join(cluster.processA, { sessionId: elsewhere, spectator: true }, token);
    const yan = await join(cluster.processB, { sessionId, clientId: 'yan' });
    const yanToken = (await whoami(yan)).clientToken;
    await waitFor(() => playerIn(yan, 'sub:zoe'), 'yan to see zoe');
    const [zoeClosed, watchingClosed] = [closeOf(zoe), closeOf(watching)];

    const banned = await httpTo(cluster.processA, 'POST', '/api/bans', { subject: 'zoe', reason: 'cheating' });
    assert.equal(banned.status, 201, JSON.stringify(banned.body));
    assert.equal(await zoeClosed, BANNED_CLOSE_CODE);
    assert.equal(await watchingClosed, BANNED_CLOSE_CODE);
    await waitFor(() => !playerIn(yan, 'sub:zoe'), 'zoe gone from the room on B');
    const clients = await httpTo(cluster.processA, 'GET', `/api/game_sessions/${sessionId}/clients`);
    assert.deepEqual(
      clients.body.clients.map((client: { client_id: string }) => client.client_id),
      ['yan'],
    );

    const fresh = await provider().sign('key-1', 'zoe');
    for (const server of [cluster.processA, cluster.processB]) {
      assert.equal(await refusedJoin(server, { sessionId }, fresh), 403, `a join through ${server.port}`);
      assert.equal(await refusedJoin(server, {}, fresh), 403, `quick play through ${server.port}`);
      assert.equal((await asPlayer(server, 'POST', `/api/game_sessions/${sessionId}/join`, fresh, {})).status, 403);
      const rest = await asPlayer(server, 'GET', '/api/sessions', fresh);
      assert.equal(rest.status, 403);
      assert.equal(rest.body.error.code, 'banned');
    }

    // A guest banned through B: out of the room, and of the old API on A.
    const yanClosed = closeOf(yan);
    assert.equal((await httpTo(cluster.processB, 'POST', '/api/bans', { clientId: 'yan' })).status, 201);
    assert.equal(await yanClosed, BANNED_CLOSE_CODE);
    const overHttp = await httpTo(cluster.processA, 'POST', `/api/game_sessions/${sessionId}/join`, { client_id: 'yan', client_token: yanToken });
    assert.equal(overHttp.status, 403);
    assert.equal(await refusedJoin(cluster.processA, { sessionId, clientId: 'yan', clientToken: yanToken }), 403);

    // Both processes list the bans; lifted through B, Zoe is back through A.
    assert.deepEqual((await httpTo(cluster.processB, 'GET', '/api/bans')).body.bans.map((ban: { clientId: string }) => ban.clientId).sort(), [
      'sub:zoe',
      'yan',
    ]);
    assert.equal((await httpTo(cluster.processB, 'DELETE', '/api/bans/sub:zoe')).status, 204);
    const back = await join(cluster.processA, { sessionId }, fresh);
    await waitFor(() => playerIn(back, 'sub:zoe'), 'zoe back after the ban was lifted');
  });

  it('kicks through one process a player whose room the other holds', async () => {
    const sessionId = await createSession(cluster.processB);
    const admin = await provider().sign('key-1', 'the-admin', { roles: ['admin'] });
    const xia = await join(cluster.processB, { sessionId, clientId: 'xia' });
    const wes = await join(cluster.processB, { sessionId, clientId: 'wes' });
    await waitFor(() => playerIn(wes, 'xia'), 'wes to see xia');
    const closed = closeOf(xia);
    const kicked = await asPlayer(cluster.processA, 'POST', `/api/sessions/${sessionId}/kick`, admin, { clientId: 'xia', reason: 'AFK' });
    assert.equal(kicked.status, 204);
    assert.equal(await closed, KICKED_CLOSE_CODE);
    await waitFor(() => !playerIn(wes, 'xia'), 'xia gone');
    const events = await httpTo(cluster.processA, 'GET', `/api/sessions/${sessionId}/events`);
    const kick = events.body.events.find((event: { type: string }) => event.type === 'player_kicked');
    assert.deepEqual(kick?.data, { clientId: 'xia', by: 'sub:the-admin', reason: 'AFK', banned: false });
  });
});
