import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import { request } from '../support/httpClient.ts';
import { bootTestServer, resetTestDatabase, TEST_BASE_URL } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';
import { labyrinthClient, whoami } from '../support/labyrinthClient.ts';

// Join/leave churn with the real SDK: clients joining and leaving one session over and over, some
// leaving before their join completed, some dropping their socket. Afterwards no seat is left
// behind (in the room or in the database), and the room serves a newcomer as usual.

const CHURNERS = 6;
const CYCLES = 15;

describe('join and leave churn', () => {
  let server: ColyseusTestServer;

  before(async () => {
    await resetTestDatabase();
    server = await bootTestServer({ RECONNECT_SECONDS: '0' });
  });
  after(async () => {
    await server.shutdown();
  });

  it('leaves no seat behind, and the room keeps serving', async function () {
    this.timeout(60_000);
    const sessionId = (await request('POST', '/api/sessions', { json: { size: 4 } })).body.id;
    const sdk = labyrinthClient(TEST_BASE_URL);
    const tokens = new Map<string, string>();
    const churn = async (churner: number) => {
      const clientId = `churner-${churner}`;
      for (let cycle = 0; cycle < CYCLES; cycle += 1) {
        const room = await sdk.joinOrCreate('labyrinth', { sessionId, clientId, clientToken: tokens.get(clientId) });
        if (!tokens.has(clientId)) tokens.set(clientId, (await whoami(room)).clientToken);
        if (cycle % 3 === 0) room.send('ready', { ready: true });
        // A third of the time the socket just drops (no leave message), the rest leave properly.
        if (cycle % 3 === 2) {
          room.reconnection.enabled = false;
          room.connection.close();
          await new Promise((resolve) => setTimeout(resolve, 30));
        } else {
          await room.leave(true);
        }
      }
    };
    await Promise.all(Array.from({ length: CHURNERS }, (_, i) => churn(i)));

    await waitFor(async () => (await request('GET', `/api/game_sessions/${sessionId}/clients`)).body.clients.length === 0, 'every seat freed', 10_000);
    const newcomer = await sdk.joinOrCreate('labyrinth', { sessionId, clientId: 'after-churn' });
    newcomer.send('ready', { ready: true });
    await waitFor(() => newcomer.state.players?.get('after-churn')?.ready === true, 'the newcomer ready');
    assert.equal(newcomer.state.players.size, 1);
    assert.equal((await request('GET', `/api/game_sessions/${sessionId}/status`)).body.all_ready, true);
    await newcomer.leave(true);
  });
});
