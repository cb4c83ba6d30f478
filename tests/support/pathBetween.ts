import { cellKey } from '../../src/game/fogOfWar.ts';
import { tryMove, type Cell } from '../../src/game/moveRules.ts';
import { DIRECTIONS, type Direction } from '../../src/maze/directions.ts';
import type { Maze } from '../../src/maze/generateMaze.ts';

/** Shortest list of moves from one cell to another, by breadth-first search over open sides. */
export function pathBetween(maze: Maze, from: Cell, to: Cell): Direction[] {
  const previous = new Map<string, { cell: Cell; direction: Direction } | null>([[cellKey(from), null]]);
  const queue: Cell[] = [from];
  while (queue.length > 0) {
    const cell = queue.shift()!;
    if (cell.x === to.x && cell.y === to.y) break;
    for (const direction of DIRECTIONS) {
      const move = tryMove(maze, cell, direction);
      if (move.ok && !previous.has(cellKey(move.to))) {
        previous.set(cellKey(move.to), { cell, direction });
        queue.push(move.to);
      }
    }
  }
  const path: Direction[] = [];
  for (let step = previous.get(cellKey(to)); step; step = previous.get(cellKey(step.cell))) path.unshift(step.direction);
  return path;
}
