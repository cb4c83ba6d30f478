import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import { runLoad } from '../../bench/loadtest/runLoad.ts';
import { SessionService } from '../../src/sessions/SessionService.ts';
import { waitFor } from '../support/waitFor.ts';
import { bootTestServer, resetTestDatabase, TEST_BASE_URL, testDatabase } from '../support/testServer.ts';

const PLAYERS = 3;

describe('load tool', () => {
  let server: ColyseusTestServer;

  before(async () => {
    await resetTestDatabase();
    server = await bootTestServer({ COUNTDOWN_SECONDS: '0.2', MOVE_COOLDOWN_MS: '50' });
  });
  after(async () => {
    await server.shutdown();
    await resetTestDatabase();
  });

  it('plays a whole round with play bots in a worker process, and its counts add up', async function () {
    this.timeout(45_000);
    const result = await runLoad({
      url: TEST_BASE_URL,
      transport: 'colyseus',
      workload: 'play',
      rooms: 1,
      players: PLAYERS,
      durationSeconds: 30,
      intervalMs: 60,
      mazeSize: 5,
      workers: 1,
      until: (totals) => totals.roundsFinished >= 1,
    });
    const { totals } = result;

    assert.equal(totals.roundsFinished, 1, 'a round was finished within the duration');
    const [sessionId] = result.sessionIds;
    // The bots stop before anyone asks for a new round, which would clear the stored winner.
    const winner = await waitFor(async () => (await new SessionService(await testDatabase()).loadSnapshot(sessionId!)).winner, 'the stored winner');
    assert.match(winner.clientId, new RegExp(`^lt-[0-9a-f]{8}-r0-p[0-${PLAYERS - 1}]$`), 'the winner is one of the bots');

    assert.deepEqual([totals.joinsOk, totals.joinsFailed, result.connected], [PLAYERS, 0, PLAYERS]);
    assert.equal(totals.joinLatency.count, PLAYERS);
    assert.deepEqual(totals.closes, {}, 'the server closed nobody');
    assert.ok(totals.changesSent > PLAYERS, 'readiness and moves were sent');
    // Every change that was not refused awaits the other players; at the end each sender has at
    // most one change in flight and its observers may still be one behind.
    const expected = (totals.changesSent - totals.changesCancelled) * (PLAYERS - 1);
    assert.ok(totals.deliveries <= expected, `${totals.deliveries} deliveries of ${expected} expected`);
    assert.ok(totals.deliveries >= expected - 2 * PLAYERS * (PLAYERS - 1), `${totals.deliveries} deliveries of ${expected} expected`);
    assert.equal(totals.undelivered, 0);
    assert.ok(totals.changeLatency.p50 > 0 && totals.changeLatency.p50 <= totals.changeLatency.p99 && totals.changeLatency.p99 <= totals.changeLatency.max);
    assert.ok(result.generator.cpuSeconds > 0, 'the worker reported its CPU time');
  });
});
