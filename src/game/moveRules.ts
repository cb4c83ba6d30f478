import { DIRECTION_STEP, type Direction } from '../maze/directions.ts';
import type { Maze, MazeTile } from '../maze/generateMaze.ts';

export type Cell = { x: number; y: number };

/** Why a move was refused: through a wall, or off the edge of the grid. */
export type MoveRefusal = 'wall' | 'off_grid';

export function tileAt(maze: Maze, cell: Cell): MazeTile | undefined {
  if (cell.x < 0 || cell.y < 0 || cell.x >= maze.size || cell.y >= maze.size) return undefined;
  return maze.tiles[cell.y * maze.size + cell.x];
}

/** The cell one step away in `direction`, if the current tile is open on that side. */
export function tryMove(maze: Maze, from: Cell, direction: Direction): { ok: true; to: Cell } | { ok: false; reason: MoveRefusal } {
  const step = DIRECTION_STEP[direction];
  const to = { x: from.x + step.dx, y: from.y + step.dy };
  if (!tileAt(maze, to)) return { ok: false, reason: 'off_grid' };
  if (!tileAt(maze, from)?.openDirections.includes(direction)) return { ok: false, reason: 'wall' };
  return { ok: true, to };
}

/** Whether a cell is the maze's exit. */
export function isExit(maze: Maze, cell: Cell): boolean {
  return maze.exit.x === cell.x && maze.exit.y === cell.y;
}
