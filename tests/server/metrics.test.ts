import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ColyseusTestServer } from '@colyseus/testing';
import { request } from '../support/httpClient.ts';
import { bootTestServer, leaveOpenRooms, resetTestDatabase, TEST_BASE_URL } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';
import { labyrinthClient, type LabyrinthRoom } from '../support/labyrinthClient.ts';

const METRICS_TOKEN = 'metrics-token-for-tests';

/** The value of one sample line, e.g. `labyrinth_rooms` or `name{label="x"}`; undefined when absent. */
function sample(metrics: string, series: string): number | undefined {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics', () => {
  let server: ColyseusTestServer;
  const openRooms: LabyrinthRoom[] = [];

  before(async () => {
    await resetTestDatabase();
    server = await bootTestServer({ METRICS_TOKEN, COUNTDOWN_SECONDS: '30' });
  });
  after(async () => {
    await leaveOpenRooms(openRooms);
    await server.shutdown();
    await resetTestDatabase();
  });

  async function scrape(): Promise<string> {
    const response = await request('GET', '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    assert.equal(response.status, 200);
    assert.match(String(response.headers.get('content-type')), /^text\/plain/);
    return String(response.body);
  }

  it('answers only with METRICS_TOKEN or the admin password', async () => {
    assert.equal((await request('GET', '/metrics')).status, 401);
    assert.equal((await request('GET', '/metrics', { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status, 401);
    assert.equal((await request('GET', '/metrics', { admin: true })).status, 200);
    const metrics = await scrape();
    assert.ok(sample(metrics, 'process_resident_memory_bytes')! > 0, 'default process metrics');
  });

  it('counts rooms, clients, joins, messages and patches', async () => {
    const before = await scrape();
    const created = await request('POST', '/api/sessions', { json: { size: 6 } });
    const room = await labyrinthClient(TEST_BASE_URL).joinOrCreate('labyrinth', { sessionId: created.body.id, clientId: 'metrics-alice' });
    openRooms.push(room);
    room.send('ready', { ready: true });
    await waitFor(() => room.state.allReady, 'the ready message to be applied');

    const after = await scrape();
    assert.equal(sample(after, 'labyrinth_rooms'), 1);
    assert.equal(sample(after, 'labyrinth_clients'), 1);
    assert.equal(sample(after, 'labyrinth_joins_total')! - sample(before, 'labyrinth_joins_total')!, 1);
    // At least the join handshake and the ready message in; the full state and a patch out.
    assert.ok(sample(after, 'labyrinth_messages_received_total')! - sample(before, 'labyrinth_messages_received_total')! >= 2);
    assert.ok(sample(after, 'labyrinth_messages_sent_total')! - sample(before, 'labyrinth_messages_sent_total')! >= 2);
    assert.ok(sample(after, 'labyrinth_patch_duration_seconds_count')! > sample(before, 'labyrinth_patch_duration_seconds_count')!);
  });

  it('times HTTP requests by method, matched route pattern and status, never by raw URL', async () => {
    const created = await request('POST', '/api/sessions', { json: { size: 4 } });
    const unknownId = randomUUID();
    await request('GET', `/api/sessions/${created.body.id}`);
    await request('GET', `/api/sessions/${unknownId}`);
    await request('GET', `/api/game_sessions/${created.body.id}/status`);
    await request('GET', `/no-such-route/${unknownId}`);

    const metrics = await scrape();
    const count = (labels: string) => sample(metrics, `labyrinth_http_request_duration_seconds_count{${labels}}`);
    assert.ok(count('method="POST",route="/api/sessions",status="201"')! >= 1);
    assert.equal(count('method="GET",route="/api/sessions/:id",status="200"'), 1);
    // Answered by the error middleware, after Express has left the /api router.
    assert.equal(count('method="GET",route="/api/sessions/:id",status="404"'), 1);
    assert.equal(count('method="GET",route="/api/game_sessions/:sessionId/status",status="200"'), 1);
    assert.ok(count('method="GET",route="unmatched",status="404"')! >= 1);
    assert.ok(!metrics.includes(created.body.id) && !metrics.includes(unknownId), 'no ids in labels');
  });
});
