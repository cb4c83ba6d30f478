import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import { request } from '../support/httpClient.ts';
import { bootTestServer, leaveOpenRooms, resetTestDatabase, TEST_ADMIN_PASSWORD, TEST_BASE_URL } from '../support/testServer.ts';
import { labyrinthClient, type LabyrinthRoom } from '../support/labyrinthClient.ts';

// The monitor's room page lists each client; besides its connection id, who it is.

describe('the monitor lists who is in a room', () => {
  let server: ColyseusTestServer;
  const rooms: LabyrinthRoom[] = [];
  before(async () => {
    await resetTestDatabase();
    server = await bootTestServer();
  });
  after(async () => {
    await leaveOpenRooms(rooms);
    await server.shutdown();
  });

  it('each client with its clientId, name and role (/monitor/api/room, admin)', async () => {
    const sessionId = (await request('POST', '/api/sessions', { json: { size: 4 } })).body.id as string;
    const sdk = labyrinthClient(TEST_BASE_URL);
    const alice = await sdk.joinOrCreate('labyrinth', { sessionId, clientId: 'monitor-alice', name: 'Alice' });
    const carol = await sdk.joinOrCreate('labyrinth', { sessionId, clientId: 'monitor-carol', name: 'Carol', spectator: true });
    rooms.push(alice, carol);

    const answer = await fetch(`${TEST_BASE_URL}/monitor/api/room?roomId=${sessionId}`, { headers: { authorization: `Bearer ${TEST_ADMIN_PASSWORD}` } });
    assert.equal(answer.status, 200);
    const { clients } = (await answer.json()) as { clients: Record<string, unknown>[] };
    const listed = clients.map(({ sessionId: connection, clientId, name, spectator }) => ({ connection, clientId, name, spectator }));
    assert.deepEqual(
      listed.sort((a, b) => String(a.clientId).localeCompare(String(b.clientId))),
      [
        { connection: alice.sessionId, clientId: 'monitor-alice', name: 'Alice', spectator: false },
        { connection: carol.sessionId, clientId: 'monitor-carol', name: 'Carol', spectator: true },
      ],
    );
    // The monitor's own fields are kept.
    assert.ok(clients.every((client) => typeof client.elapsedTime === 'number'));
  });

  it('lists each room with its seats beside maxClients, which counts spectators too (/monitor/api, admin)', async () => {
    const sessionId = (await request('POST', '/api/sessions', { json: { size: 4, maxPlayers: 4, bots: 2 } })).body.id as string;
    rooms.push(await labyrinthClient(TEST_BASE_URL).joinOrCreate('labyrinth', { sessionId, clientId: 'monitor-seated' }));

    const answer = await fetch(`${TEST_BASE_URL}/monitor/api`, { headers: { authorization: `Bearer ${TEST_ADMIN_PASSWORD}` } });
    assert.equal(answer.status, 200);
    type Column = string | { metadata: string };
    const { columns, rooms: listed } = (await answer.json()) as {
      columns: Column[];
      rooms: { roomId: string; maxClients: string; metadata: Record<string, unknown> }[];
    };
    assert.deepEqual(
      columns.filter((column) => typeof column !== 'string'),
      [{ metadata: 'seated' }, { metadata: 'maxPlayers' }],
    );
    assert.ok(columns.includes('maxClients'));
    const room = listed.find((candidate) => candidate.roomId === sessionId);
    assert.deepEqual([room?.metadata.seated, room?.metadata.maxPlayers, room?.maxClients], [3, 4, '32']);
  });
});
