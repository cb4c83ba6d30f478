import assert from 'node:assert/strict';
import { botNumber, botSeat } from '../../src/game/botSeats.ts';
import { cleanChatText } from '../../src/game/chatLine.ts';
import { cellsSeenFrom } from '../../src/game/fogOfWar.ts';
import { isExit, tileAt, tryMove } from '../../src/game/moveRules.ts';
import { hasFinishedRound, PHASES } from '../../src/game/phase.ts';
import { TokenBuckets } from '../../src/game/TokenBuckets.ts';
import { DIRECTIONS } from '../../src/maze/directions.ts';
import { generateMaze } from '../../src/maze/generateMaze.ts';

describe('game rules', () => {
  describe('tryMove', () => {
    it('moves exactly through open sides, over many mazes', () => {
      for (let seed = 0; seed < 40; seed++) {
        const maze = generateMaze(4 + (seed % 12), `moves-${seed}`);
        for (const tile of maze.tiles) {
          for (const direction of DIRECTIONS) {
            const result = tryMove(maze, tile, direction);
            if (tile.openDirections.includes(direction)) {
              assert.ok(result.ok, `${tile.x},${tile.y} ${direction} is open`);
              assert.ok(tileAt(maze, result.to)!.openDirections.length > 0);
            } else {
              assert.equal(result.ok, false);
            }
          }
        }
      }
    });

    it('names the reason: off the grid before wall', () => {
      const maze = generateMaze(5, 'edges');
      const corner = { x: 0, y: 0 };
      assert.deepEqual(tryMove(maze, corner, 'N'), { ok: false, reason: 'off_grid' });
      assert.deepEqual(tryMove(maze, corner, 'W'), { ok: false, reason: 'off_grid' });
      const closed = tileAt(maze, corner)!.openDirections.includes('E') ? 'S' : 'E';
      if (!tileAt(maze, corner)!.openDirections.includes(closed)) {
        assert.deepEqual(tryMove(maze, corner, closed), { ok: false, reason: 'wall' });
      }
    });

    it('recognises the exit', () => {
      const maze = generateMaze(6, 'exit');
      assert.ok(isExit(maze, maze.exit));
      assert.ok(!isExit(maze, { x: maze.startX, y: maze.startY }));
    });
  });

  describe('cellsSeenFrom', () => {
    it('sees the own cell and every neighbour through an open side, nothing through walls', () => {
      const maze = generateMaze(8, 'fog');
      for (const tile of maze.tiles) {
        const seen = cellsSeenFrom(maze, tile);
        assert.equal(seen.length, 1 + tile.openDirections.length);
        assert.deepEqual(seen[0], { x: tile.x, y: tile.y });
        for (const cell of seen.slice(1)) {
          assert.equal(Math.abs(cell.x - tile.x) + Math.abs(cell.y - tile.y), 1);
        }
      }
    });
  });

  describe('TokenBuckets', () => {
    it('works as a cooldown with capacity 1', () => {
      const moves = new TokenBuckets({ capacity: 1, refillMs: 100 });
      assert.equal(moves.take('a', 0), true);
      assert.equal(moves.take('a', 50), false);
      assert.equal(moves.take('b', 50), true);
      assert.equal(moves.take('a', 100), true);
    });

    it('allows a burst, then one per refill period', () => {
      const chat = new TokenBuckets({ capacity: 3, refillMs: 1000 });
      assert.deepEqual(
        [0, 1, 2, 3].map(() => chat.take('a', 0)),
        [true, true, true, false],
      );
      assert.equal(chat.take('a', 999), false);
      assert.equal(chat.take('a', 1500), true);
    });

    it('judges the client, not the server: a late server lets through what was sent in time, and no more', () => {
      // One move per 150 ms, sent every 200 ms; the server stalls for 500 ms and then handles the
      // three moves that arrived meanwhile at once, 500 ms late.
      const moves = new TokenBuckets({ capacity: 1, refillMs: 150 });
      assert.equal(moves.take('a', 0), true);
      assert.deepEqual(
        [1, 2, 3].map(() => moves.take('a', 700, 500)),
        [true, true, true],
      );
      // Without the lateness the same burst is two moves too fast.
      const strict = new TokenBuckets({ capacity: 1, refillMs: 150 });
      strict.take('a', 0);
      assert.deepEqual(
        [1, 2, 3].map(() => strict.take('a', 700)),
        [true, false, false],
      );
      // A flood in the same stall gains only what 500 ms allow (four moves), then is refused.
      const flood = new TokenBuckets({ capacity: 1, refillMs: 150 });
      flood.take('a', 0);
      const accepted = Array.from({ length: 100 }, () => flood.take('a', 700, 500)).filter(Boolean).length;
      assert.equal(accepted, 4);
    });

    it('forgets a key: it starts again with a full bucket', () => {
      const chat = new TokenBuckets({ capacity: 2, refillMs: 1000 });
      chat.take('a', 0);
      chat.take('a', 0);
      assert.equal(chat.take('a', 0), false);
      chat.forget('a');
      assert.equal(chat.take('a', 0), true);
    });
  });

  describe('cleanChatText', () => {
    it('trims, drops control characters and refuses empty lines', () => {
      assert.equal(cleanChatText('  hello  '), 'hello');
      assert.equal(cleanChatText('a\u0007b'), 'ab');
      assert.equal(cleanChatText('   '), undefined);
    });
  });

  describe('hasFinishedRound', () => {
    it('is true in a finished round and in every round after the first, whatever its phase', () => {
      for (const phase of PHASES) {
        assert.equal(hasFinishedRound({ phase, round: 1 }), phase === 'finished', phase);
        assert.equal(hasFinishedRound({ phase, round: 2 }), true, phase);
      }
    });
  });

  describe('botNumber', () => {
    it('reads back the number of every bot seat, and none of a person', () => {
      for (const number of [1, 2, 7, 15]) assert.equal(botNumber(botSeat(number).clientId), number);
      for (const clientId of ['alice', 'robot-1', 'demo-bot-2']) assert.equal(botNumber(clientId), undefined, clientId);
    });
  });
});
