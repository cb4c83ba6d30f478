import assert from 'node:assert/strict';
import { createLogger } from '../../src/logger.ts';
import { generateMaze } from '../../src/maze/generateMaze.ts';
import { RoundWriter, type RoundRef } from '../../src/sessions/RoundWriter.ts';
import { SessionService } from '../../src/sessions/SessionService.ts';
import { resetTestDatabase, testDatabase } from '../support/testServer.ts';

// The batched writer on the real test database: what waits for the flush interval, what is written
// at once (the interval here is an hour, so a write that waited for it would time the test out),
// and in which order.

/** An hour: what these tests await without calling flush() can only have been written at once. */
const INTERVAL_MS = 3_600_000;
const SIZE = 6;

describe('the batched round writer', () => {
  let sessions: SessionService;
  let writer: RoundWriter;
  let ref: RoundRef;

  beforeEach(async () => {
    await resetTestDatabase();
    const database = await testDatabase();
    sessions = new SessionService(database);
    writer = new RoundWriter(database, { intervalMs: INTERVAL_MS, logger: createLogger('silent') });
    const session = await sessions.createSession({ size: SIZE, seed: 'writer' });
    ref = { sessionId: session.id, labyrinthId: session.labyrinthId };
    for (const clientId of ['alice', 'bob']) await sessions.seatClient({ sessionId: session.id, clientId, name: clientId });
  });
  afterEach(() => writer.flush());

  const stored = () => sessions.loadSnapshot(ref.sessionId);
  const readiness = async () => Object.fromEntries((await stored()).players.map((player) => [player.clientId, player.ready]));

  it('holds readiness and positions until the flush interval, then writes the latest of each', async () => {
    const written = writer.record(ref, [
      { type: 'ready_changed', clientId: 'alice', ready: true },
      { type: 'ready_changed', clientId: 'bob', ready: true },
      { type: 'ready_changed', clientId: 'bob', ready: false },
      { type: 'player_moved', clientId: 'alice', dir: 'S', to: { x: 1, y: 2 }, revealed: [{ x: 1, y: 2 }], seen: [{ x: 1, y: 2 }] },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(await readiness(), { alice: false, bob: false }, 'nothing is written before the interval');
    await writer.flush();
    await written;
    assert.deepEqual(await readiness(), { alice: true, bob: false });
    const snapshot = await stored();
    assert.deepEqual([snapshot.players[0]!.x, snapshot.players[0]!.y], [1, 2]);
    assert.deepEqual(snapshot.revealed, [{ x: 1, y: 2 }]);
  });

  it("writes a round's result at once, with everything pending before it", async () => {
    void writer.record(ref, [{ type: 'ready_changed', clientId: 'alice', ready: true }]);
    const started = Date.now();
    await writer.record(ref, [{ type: 'round_finished', winner: { clientId: 'alice', name: 'Alice' }, finishedAt: started }]);
    const snapshot = await stored();
    assert.deepEqual([snapshot.phase, snapshot.winner, snapshot.finishedAt?.getTime()], ['finished', { clientId: 'alice', name: 'Alice' }, started]);
    assert.equal(snapshot.players.find((player) => player.clientId === 'alice')?.ready, true);
  });

  it('frees a seat at once, and says whether there was one', async () => {
    assert.equal(await writer.unseat(ref.sessionId, 'bob'), true);
    assert.equal(await writer.unseat(ref.sessionId, 'bob'), false);
    await writer.record(ref, [{ type: 'player_left', clientId: 'alice', closeConnectionId: null }]);
    assert.deepEqual((await stored()).players, []);
  });

  it('keeps the order: what came before a new round is overwritten by it, what came after is not', async () => {
    void writer.record(ref, [{ type: 'ready_changed', clientId: 'alice', ready: true }]);
    void writer.record(ref, [
      { type: 'new_round', clientId: 'alice', round: 2, labyrinthId: '7f8c0600-0000-4000-8000-000000000002', maze: generateMaze(SIZE, 'second') },
    ]);
    void writer.record({ ...ref, labyrinthId: '7f8c0600-0000-4000-8000-000000000002' }, [{ type: 'ready_changed', clientId: 'bob', ready: true }]);
    await writer.flush();
    const snapshot = await stored();
    assert.deepEqual([snapshot.round, snapshot.seed, snapshot.labyrinthId], [2, 'second', '7f8c0600-0000-4000-8000-000000000002']);
    assert.deepEqual(await readiness(), { alice: false, bob: true });
  });

  it('writes nothing for events that change nothing durable', async () => {
    const started = Date.now();
    // Resolved at once: an hour's wait would time the test out.
    await writer.record(ref, [
      { type: 'player_dropped', clientId: 'alice' },
      { type: 'countdown_started', endsAt: started + 3000 },
      { type: 'chat_said', line: { from: 'alice', name: 'Alice', text: 'hi', at: started } },
    ]);
  });
});
