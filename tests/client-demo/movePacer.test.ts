import assert from 'node:assert/strict';
import { MovePacer } from '../../client-demo/src/movePacer.ts';
import type { Direction } from '../../src/maze/directions.ts';
import { waitFor } from '../support/waitFor.ts';

// The demo's move pacing (no DOM): what it sends, in what order, never sooner than the cooldown.

describe('the demo’s move pacer', () => {
  function pacer(cooldownMs: number) {
    const sent: { direction: Direction; at: number }[] = [];
    return {
      sent,
      pacer: new MovePacer(
        (direction) => sent.push({ direction, at: performance.now() }),
        () => cooldownMs,
      ),
    };
  }

  it('sends every move at once when the room has no cooldown', () => {
    const { sent, pacer: moves } = pacer(0);
    for (const direction of ['N', 'E', 'S'] as const) moves.move(direction);
    assert.deepEqual(
      sent.map((move) => move.direction),
      ['N', 'E', 'S'],
    );
  });

  it('holds a move asked for within the cooldown until it ends, the latest one winning', async () => {
    const { sent, pacer: moves } = pacer(50);
    moves.move('N');
    moves.move('E');
    moves.move('S');
    assert.deepEqual(
      sent.map((move) => move.direction),
      ['N'],
    );
    await waitFor(() => sent.length === 2, 'the held move sent');
    assert.deepEqual(
      sent.map((move) => move.direction),
      ['N', 'S'],
    );
    // Timers never fire early: the second move left at least a cooldown after the first.
    assert.ok(sent[1]!.at - sent[0]!.at >= 49, `${sent[1]!.at - sent[0]!.at} ms apart`);
  });

  it('forgets a held move when cancelled (the room was left)', async () => {
    const { sent, pacer: moves } = pacer(30);
    moves.move('N');
    moves.move('E');
    moves.cancel();
    await new Promise((resolve) => setTimeout(resolve, 120));
    assert.deepEqual(
      sent.map((move) => move.direction),
      ['N'],
    );
  });
});
