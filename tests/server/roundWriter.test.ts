import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createLogger } from '../../src/logger.ts';
import { generateMaze } from '../../src/maze/generateMaze.ts';
import type { RoundEvent } from '../../src/game/roundEvents.ts';
import { RoundWriter, type RoundRef } from '../../src/sessions/RoundWriter.ts';
import { SessionService } from '../../src/sessions/SessionService.ts';
import { countRows, resetTestDatabase, testDatabase } from '../support/testServer.ts';

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
  /** What the writer logged at warn and above. */
  let logged: { level: number; msg: string; sessionIds?: string[]; err?: { message: string } }[];

  beforeEach(async () => {
    await resetTestDatabase();
    const database = await testDatabase();
    sessions = new SessionService(database);
    logged = [];
    const destination = { write: (line: string) => void logged.push(JSON.parse(line) as (typeof logged)[number]) };
    writer = new RoundWriter(database, { intervalMs: INTERVAL_MS, logger: createLogger('warn', 'json', destination) });
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

  it("drops a deleted session's pending writes, once, and still writes the other sessions'", async () => {
    const other = await sessions.createSession({ size: SIZE, seed: 'other' });
    await sessions.seatClient({ sessionId: other.id, clientId: 'carol', name: 'carol' });
    const moved = (clientId: string): RoundEvent => ({
      type: 'player_moved',
      clientId,
      dir: 'S',
      to: { x: 1, y: 2 },
      revealed: [{ x: 1, y: 2 }],
      seen: [{ x: 1, y: 2 }],
    });
    const pending = [
      writer.record(ref, [moved('alice')], [{ seq: 1, at: Date.now(), actor: 'alice', type: 'player_moved', data: {} }]),
      writer.record(ref, [
        { type: 'round_started', startedAt: Date.now(), seed: 'writer', size: SIZE, start: { x: 0, y: 0 }, players: ['alice'], revealed: [] },
      ]),
      writer.record({ sessionId: other.id, labyrinthId: other.labyrinthId }, [moved('carol')]),
    ];
    await sessions.deleteSession(ref.sessionId);
    await writer.flush();
    await Promise.all(pending);
    const carol = (await sessions.loadSnapshot(other.id)).players[0]!;
    assert.deepEqual([carol.x, carol.y], [1, 2], "the other session's move landed");
    assert.deepEqual(
      logged.map((entry) => [entry.msg, entry.sessionIds]),
      [['writes for deleted sessions dropped', [ref.sessionId]]],
      'dropped at the first flush, logged once, never retried',
    );
    await writer.record(ref, [{ type: 'player_left', clientId: 'alice', closeConnectionId: null }]);
    assert.equal(logged.length, 2, 'a later write for it is dropped in its own flush');
  });

  it('never deadlocks a new round with the deletion of its session, and leaves no labyrinth behind', async () => {
    // Before the flush and the deletion took the session row first, in the same order, these two
    // locked the session row and the old labyrinth in opposite orders (PostgreSQL: "deadlock
    // detected"), and a deletion that read the old labyrinth deleted nothing.
    for (let attempt = 0; attempt < 20; attempt++) {
      const session = await sessions.createSession({ size: SIZE, seed: `race ${attempt}` });
      await sessions.seatClient({ sessionId: session.id, clientId: `player-${attempt}`, name: 'player' });
      const round = {
        type: 'new_round',
        clientId: `player-${attempt}`,
        round: 2,
        labyrinthId: randomUUID(),
        maze: generateMaze(SIZE, `next ${attempt}`),
      } as const;
      await Promise.all([writer.record({ sessionId: session.id, labyrinthId: session.labyrinthId }, [round]), sessions.deleteSession(session.id)]);
    }
    assert.deepEqual(
      logged.filter((entry) => entry.level >= 50).map((entry) => entry.err?.message),
      [],
      'no flush failed',
    );
    // The first session's labyrinth is the only one left.
    assert.equal(await countRows('labyrinth'), 1);
  });
});
