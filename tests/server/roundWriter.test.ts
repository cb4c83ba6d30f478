import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createLogger } from '../../src/logger.ts';
import { generateMaze } from '../../src/maze/generateMaze.ts';
import type { RoundEvent } from '../../src/game/roundEvents.ts';
import { claimSession, type SessionOwner } from '../../src/sessions/ownershipStatements.ts';
import { RoundWriter, type RoundRef } from '../../src/sessions/RoundWriter.ts';
import { SessionMovedError } from '../../src/sessions/SessionMovedError.ts';
import { SessionService } from '../../src/sessions/SessionService.ts';
import { countRows, resetTestDatabase, testDatabase } from '../support/testServer.ts';

// The batched writer on the real test database: what waits for the flush interval, what is written
// at once (the interval here is an hour, so a write that waited for it would time the test out),
// and in which order.

/** An hour: what these tests await without calling flush() can only have been written at once. */
const INTERVAL_MS = 3_600_000;
const SIZE = 6;
/** The process the writer writes for: it owns the sessions these tests write to. */
const PROCESS_ID = 'writer-test';

describe('the batched round writer', () => {
  let sessions: SessionService;
  let writer: RoundWriter;
  let ref: RoundRef & { owner: SessionOwner };
  /** What the writer logged at warn and above. */
  let logged: { level: number; msg: string; sessionIds?: string[]; err?: { message: string } }[];
  /** The rooms whose rows the writer refused (session, epoch). */
  let fenced: [string, number][];

  /** Takes a session for `processId`, as a room taking it does. */
  async function claim(sessionId: string, processId = PROCESS_ID): Promise<SessionOwner> {
    const result = await claimSession((await testDatabase()).em.fork(), sessionId, processId, { retakeOwn: true, requestHandover: false });
    assert.ok(result.claimed);
    return { epoch: result.epoch, processId };
  }
  /** A session seated with `clientIds` and owned by this writer's process; what the writer writes it with. */
  async function ownedSession(seed: string, clientIds: string[]): Promise<RoundRef & { owner: SessionOwner }> {
    const session = await sessions.createSession({ size: SIZE, seed });
    const owner = await claim(session.id);
    for (const clientId of clientIds) await sessions.seatClient({ sessionId: session.id, clientId, name: clientId, owner });
    return { sessionId: session.id, labyrinthId: session.labyrinthId, epoch: owner.epoch, owner };
  }

  beforeEach(async () => {
    await resetTestDatabase();
    const database = await testDatabase();
    sessions = new SessionService(database);
    logged = [];
    fenced = [];
    const destination = { write: (line: string) => void logged.push(JSON.parse(line) as (typeof logged)[number]) };
    writer = new RoundWriter(database, {
      intervalMs: INTERVAL_MS,
      logger: createLogger('warn', 'json', destination),
      processId: () => PROCESS_ID,
      onFenced: (sessionId, epoch) => void fenced.push([sessionId, epoch]),
    });
    ref = await ownedSession('writer', ['alice', 'bob']);
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
    assert.equal(await writer.unseat(ref, 'bob'), true);
    assert.equal(await writer.unseat(ref, 'bob'), false);
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
    const other = await ownedSession('other', ['carol']);
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
      writer.record(other, [moved('carol')]),
    ];
    await sessions.deleteSession(ref.sessionId);
    await writer.flush();
    await Promise.all(pending);
    const carol = (await sessions.loadSnapshot(other.sessionId)).players[0]!;
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
      const session = await ownedSession(`race ${attempt}`, [`player-${attempt}`]);
      const round = {
        type: 'new_round',
        clientId: `player-${attempt}`,
        round: 2,
        labyrinthId: randomUUID(),
        maze: generateMaze(SIZE, `next ${attempt}`),
      } as const;
      await Promise.all([writer.record(session, [round]), sessions.deleteSession(session.sessionId)]);
    }
    assert.deepEqual(
      logged.filter((entry) => entry.level >= 50).map((entry) => entry.err?.message),
      [],
      'no flush failed',
    );
    // The first session's labyrinth is the only one left.
    assert.equal(await countRows('labyrinth'), 1);
  });

  describe('fencing (session ownership)', () => {
    const moved = (clientId: string, x: number, y: number): RoundEvent => ({
      type: 'player_moved',
      clientId,
      dir: 'S',
      to: { x, y },
      revealed: [{ x, y }],
      seen: [{ x, y }],
    });

    it('refuses, in its flush, every row of a room whose session another room took, tells the room, and still writes the others', async () => {
      const other = await ownedSession('fenced other', ['carol']);
      const before = await stored();
      // Another process takes the session (this test's process holds no lease, so it counts as gone);
      // the old room does not know yet, and goes on recording.
      const successor = await claim(ref.sessionId, 'successor-process');
      const refused = writer.record(
        ref,
        [moved('alice', 1, 1), { type: 'ready_changed', clientId: 'bob', ready: true }],
        [{ seq: 1, at: Date.now(), actor: 'alice', type: 'player_moved', data: {} }],
      );
      // Written at once (a freed seat is urgent), so refused before the flush below.
      const leaving = writer.record(ref, [{ type: 'player_left', clientId: 'bob', closeConnectionId: null }]).catch((error: unknown) => error);
      const kept = writer.record(other, [moved('carol', 1, 2)]);
      await writer.flush();
      await assert.rejects(refused, SessionMovedError);
      assert.ok((await leaving) instanceof SessionMovedError);
      await kept;
      const after = await stored();
      assert.deepEqual(after.players, before.players, 'no position, readiness or freed seat of the old room landed');
      assert.equal(after.lastSeq, 0, 'nor its audit trail entries');
      assert.deepEqual(after.revealed, [], 'nor the tiles it revealed');
      assert.deepEqual(fenced, [[ref.sessionId, ref.epoch]], 'the old room is told, once per flush');
      assert.equal(successor.epoch, ref.epoch + 1);
      const carol = (await sessions.loadSnapshot(other.sessionId)).players[0]!;
      assert.deepEqual([carol.x, carol.y], [1, 2], "the other session's move landed in the same flush");
    });

    it('refuses the rows and the seats of a room whose session was released, and of one with an older epoch', async () => {
      await claim(ref.sessionId, 'successor-process');
      // The successor let it go: nobody owns it, and the old epoch still does not write.
      await (await testDatabase()).em.getConnection().execute(`update "game_session" set "owner_process" = null where "id" = ?`, [ref.sessionId]);
      await assert.rejects(
        writer.record(ref, [{ type: 'round_finished', winner: { clientId: 'alice', name: 'alice' }, finishedAt: Date.now() }]),
        SessionMovedError,
      );
      assert.equal((await stored()).phase, 'lobby');
      await assert.rejects(sessions.seatClient({ sessionId: ref.sessionId, clientId: 'dave', name: 'dave', owner: ref.owner }), SessionMovedError);
      assert.deepEqual(
        (await stored()).players.map((player) => player.clientId),
        ['alice', 'bob'],
      );
    });

    it("writes a room's rows again under the epoch it took the session back with, not the old one", async () => {
      const again = await claim(ref.sessionId);
      const stale = writer.record(ref, [{ type: 'ready_changed', clientId: 'alice', ready: true }]);
      const current = writer.record({ ...ref, epoch: again.epoch }, [{ type: 'ready_changed', clientId: 'bob', ready: true }]);
      await writer.flush();
      await assert.rejects(stale, SessionMovedError);
      await current;
      assert.deepEqual(await readiness(), { alice: false, bob: true });
    });
  });
});
