import { DIRECTION_STEP } from '../maze/directions.ts';
import type { Maze } from '../maze/generateMaze.ts';
import { tileAt, type Cell } from './moveRules.ts';

/**
 * The cells a player standing on `cell` can see: that cell, and each neighbour it looks into
 * through an open side. Walls block the view.
 */
export function cellsSeenFrom(maze: Maze, cell: Cell): Cell[] {
  const tile = tileAt(maze, cell);
  if (!tile) return [];
  return [
    { x: cell.x, y: cell.y },
    ...tile.openDirections.map((direction) => ({ x: cell.x + DIRECTION_STEP[direction].dx, y: cell.y + DIRECTION_STEP[direction].dy })),
  ];
}

/** A stable key for a cell, used for the revealed-tiles map in the room state. */
export function cellKey(cell: Cell): string {
  return `${cell.x},${cell.y}`;
}
