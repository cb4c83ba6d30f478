import assert from 'node:assert/strict';
import { cellKey } from '../../src/game/fogOfWar.ts';
import { tryMove, type Cell } from '../../src/game/moveRules.ts';
import { replayRound } from '../../src/game/roundLog.ts';
import { createLogger } from '../../src/logger.ts';
import { generateMaze } from '../../src/maze/generateMaze.ts';
import { AuditTrailRetention } from '../../src/sessions/AuditTrailRetention.ts';
import { request } from '../support/httpClient.ts';
import { readAuditTrail } from '../support/auditTrail.ts';
import { pathBetween } from '../support/pathBetween.ts';
import { roomTestServer, testDatabase } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';
import { type LabyrinthRoom } from '../support/labyrinthClient.ts';

// EVENT_RETENTION_DAYS on real rounds played through the SDK: a round finished longer ago than the
// retention keeps only its result, the rounds after it (and the one in play) keep every event, and
// the room goes on numbering its events after the last one kept.

const MOVE_COOLDOWN_MS = 60;
const DAY_MS = 24 * 60 * 60 * 1000;

describe('the audit trail retention (EVENT_RETENTION_DAYS)', () => {
  const { sdk, openRooms } = roomTestServer({ COUNTDOWN_SECONDS: '0.2', MOVE_COOLDOWN_MS: String(MOVE_COOLDOWN_MS) });
  const retention = async (days: number) =>
    new AuditTrailRetention(await testDatabase(), { retentionDays: days, embedded: process.env.TEST_DATABASE !== 'postgresql', logger: createLogger('warn') });

  /** Readies the one player and walks the round to its end. */
  async function playRound(room: LabyrinthRoom, sessionId: string): Promise<void> {
    room.send('ready', { ready: true });
    await waitFor(() => room.state.phase === 'playing', 'the round to start');
    await walkToExit(room, sessionId);
  }

  /** Walks the current maze's solution (read as the admin) to the exit, until the round is finished. */
  async function walkToExit(room: LabyrinthRoom, sessionId: string): Promise<void> {
    const state = () => room.state;
    const { seed, size } = (await request('GET', `/api/sessions/${sessionId}`, { admin: true })).body;
    const maze = generateMaze(size, seed);
    let at: Cell = { x: maze.startX, y: maze.startY };
    for (const dir of pathBetween(maze, at, maze.exit)) {
      const move = tryMove(maze, at, dir);
      assert.ok(move.ok);
      at = move.to;
      room.send('move', { dir });
      await waitFor(() => state().phase === 'finished' || cellKey(state().players.get('ria')!) === cellKey(at), 'ria to step');
      await new Promise((resolve) => setTimeout(resolve, MOVE_COOLDOWN_MS + 10));
    }
    await waitFor(() => state().phase === 'finished', 'the round to finish');
  }

  it('keeps only the result of rounds finished before the retention, every event after, and numbering that goes on', async function () {
    this.timeout(30_000);
    const session = (await request('POST', '/api/sessions', { json: { size: 4 } })).body;
    const room = await sdk.joinOrCreate('labyrinth', { sessionId: session.id, clientId: 'ria' });
    openRooms.push(room);
    const state = () => room.state;
    await playRound(room, session.id);
    room.send('new_round', {});
    await waitFor(() => state().phase === 'lobby' && state().round === 2, 'the second round');
    await playRound(room, session.id);
    room.send('new_round', {});
    await waitFor(() => state().phase === 'lobby' && state().round === 3, 'the third round');
    room.send('ready', { ready: true });
    await waitFor(() => state().phase === 'playing', 'the third round to start');
    const before = await waitFor(async () => {
      const entries = await readAuditTrail(session.id, { admin: true });
      return entries.at(-1)?.type === 'round_started' ? entries : undefined;
    }, 'the third round in the trail');
    const finishes = before.filter((entry) => entry.type === 'round_finished');
    assert.equal(finishes.length, 2);

    // Within the retention nothing goes.
    assert.deepEqual(await (await retention(30)).sweep(), { sessions: 0, deletedEvents: 0 });
    assert.deepEqual(await (await retention(0)).sweep(new Date(Date.now() + 1000 * DAY_MS)), { sessions: 0, deletedEvents: 0 }, '0 keeps every event');

    // 31 days on, both finished rounds are past a 30-day retention; the third is in play.
    const swept = await (await retention(30)).sweep(new Date(Date.now() + 31 * DAY_MS));
    const secondFinish = finishes[1]!.seq;
    const deleted = before.filter((entry) => entry.seq < secondFinish && entry.type !== 'round_finished');
    assert.deepEqual(swept, { sessions: 1, deletedEvents: deleted.length });
    const after = await readAuditTrail(session.id, { admin: true });
    assert.deepEqual(
      after.map((entry) => entry.seq),
      before.filter((entry) => entry.seq >= secondFinish || entry.type === 'round_finished').map((entry) => entry.seq),
      'each old round is reduced to its round_finished; what came after is whole',
    );
    assert.deepEqual(
      after.filter((entry) => entry.type === 'round_finished'),
      finishes,
      'the results stay as they were',
    );
    assert.deepEqual(await (await retention(30)).sweep(new Date(Date.now() + 31 * DAY_MS)), { sessions: 0, deletedEvents: 0 }, 'a second sweep finds nothing');

    // The room goes on: the round in play finishes, numbered after the last event kept, and replays whole.
    await walkToExit(room, session.id);
    const final = await waitFor(async () => {
      const entries = await readAuditTrail(session.id, { admin: false });
      return entries.filter((entry) => entry.type === 'round_finished').length === 3 ? entries : undefined;
    }, 'the third finish in the public trail');
    const seqs = final.map((entry) => entry.seq);
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
    );
    assert.equal(new Set(seqs).size, seqs.length, 'no seq written twice');
    assert.ok(seqs.at(-1)! > before.at(-1)!.seq, 'numbered after the last event kept');
    assert.equal(replayRound(final).winner, 'ria', 'the round after the sweep replays whole');
  });
});
