import assert from 'node:assert/strict';
import { DIRECTIONS, DIRECTION_STEP, isDirection, opposite, sortDirections } from '../../src/maze/directions.ts';

describe('directions', () => {
  it('lists N, E, S, W in that order', () => {
    assert.deepEqual(DIRECTIONS, ['N', 'E', 'S', 'W']);
  });

  it('steps with y growing southward', () => {
    assert.deepEqual(DIRECTION_STEP.N, { dx: 0, dy: -1 });
    assert.deepEqual(DIRECTION_STEP.E, { dx: 1, dy: 0 });
    assert.deepEqual(DIRECTION_STEP.S, { dx: 0, dy: 1 });
    assert.deepEqual(DIRECTION_STEP.W, { dx: -1, dy: 0 });
  });

  it('pairs opposites whose steps cancel out', () => {
    assert.deepEqual(DIRECTIONS.map(opposite), ['S', 'W', 'N', 'E']);
    for (const direction of DIRECTIONS) {
      const there = DIRECTION_STEP[direction];
      const back = DIRECTION_STEP[opposite(direction)];
      assert.equal(there.dx + back.dx, 0);
      assert.equal(there.dy + back.dy, 0);
    }
  });

  it('sorts into canonical order and drops duplicates', () => {
    assert.deepEqual(sortDirections(['W', 'S', 'N']), ['N', 'S', 'W']);
    assert.deepEqual(sortDirections(['E', 'E', 'N']), ['N', 'E']);
    assert.deepEqual(sortDirections([]), []);
  });

  it('recognises only the four direction letters', () => {
    for (const direction of DIRECTIONS) assert.ok(isDirection(direction));
    for (const other of ['n', 'X', '', 0, null, undefined]) assert.ok(!isDirection(other));
  });
});
