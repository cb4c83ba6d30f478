import { DIRECTION_STEP, DIRECTIONS, type Direction } from '../maze/directions.ts';
import type { Maze } from '../maze/generateMaze.ts';
import { cellKey } from './fogOfWar.ts';
import { isExit, tileAt, type Cell } from './moveRules.ts';

/** A tile as a player knows it once seen (what the state shows of it): its open sides, and whether it is the exit. */
export type KnownTile = { openDirections: readonly Direction[]; exit: boolean };

/** What a bot's player knows of the maze: a seen tile, or undefined for a tile it has not seen. */
export type KnownMaze = (cell: Cell) => KnownTile | undefined;

/** The maze as a player knows it: only the tiles in `seen` (keys from `cellKey`), nothing else of `maze`. */
export function knownMaze(maze: Maze, seen: ReadonlySet<string>): KnownMaze {
  return (cell) => {
    const tile = seen.has(cellKey(cell)) ? tileAt(maze, cell) : undefined;
    return tile && { openDirections: tile.openDirections, exit: isExit(maze, cell) };
  };
}

/**
 * How a bot finds its way, from what its player knows alone: depth-first over the known cells and
 * their open sides. It heads for the exit as soon as the exit is known; otherwise it steps into a
 * side it has not been through that still leads somewhere unseen (a side whose known cells beyond
 * end in walls is not worth the walk), and when none is left it backtracks along its own path.
 * Deterministic: the same knowledge and the same steps taken give the same choice.
 */
export class BotExplorer {
  /** Cells this bot has stood on. */
  readonly #visited = new Set<string>();
  /** The cells it came through, most recent last: where backtracking leads. */
  readonly #trail: Cell[] = [];

  /** The side to step through from `position`; undefined when nothing known is left to go to. Changes nothing. */
  nextStep(position: Cell, known: KnownMaze): Direction | undefined {
    const here = known(position);
    if (!here) return undefined;
    const toExit = firstStep(position, known, (_cell, tile) => tile.exit);
    if (toExit) return toExit;
    const forward = here.openDirections.find((side) => !this.#visited.has(cellKey(neighbour(position, side))) && leadsToUnseen(position, side, known));
    if (forward) return forward;
    const back = this.#trail.at(-1);
    const backSide = back && here.openDirections.find((side) => sameCell(neighbour(position, side), back));
    // Without a trail to follow (a bot whose memory began mid-round), the nearest cell that borders the unseen.
    return backSide ?? firstStep(position, known, (cell, tile) => bordersUnseen(cell, tile, known));
  }

  /** Records a step the bot took from `from` to `to`. */
  stepped(from: Cell, to: Cell): void {
    this.#visited.add(cellKey(from));
    this.#visited.add(cellKey(to));
    const back = this.#trail.at(-1);
    if (back && sameCell(back, to)) this.#trail.pop();
    else this.#trail.push(from);
  }
}

function neighbour(cell: Cell, side: Direction): Cell {
  return { x: cell.x + DIRECTION_STEP[side].dx, y: cell.y + DIRECTION_STEP[side].dy };
}

function sameCell(a: Cell, b: Cell): boolean {
  return a.x === b.x && a.y === b.y;
}

/** A known cell with an open side into a cell not known yet. */
function bordersUnseen(cell: Cell, tile: KnownTile, known: KnownMaze): boolean {
  return tile.openDirections.some((side) => known(neighbour(cell, side)) === undefined);
}

/** Whether going through `side` of `from` can reach a cell not known yet (searching the known cells beyond it, never back through `from`). */
function leadsToUnseen(from: Cell, side: Direction, known: KnownMaze): boolean {
  const start = neighbour(from, side);
  const reached = new Set([cellKey(from), cellKey(start)]);
  const queue: Cell[] = [start];
  for (let cell = queue.shift(); cell; cell = queue.shift()) {
    const tile = known(cell);
    if (!tile) return true;
    for (const onward of tile.openDirections) {
      const next = neighbour(cell, onward);
      if (reached.has(cellKey(next))) continue;
      reached.add(cellKey(next));
      queue.push(next);
    }
  }
  return false;
}

/** The first side of a shortest known path from `from` to a known cell that `isGoal`; undefined when none is known. */
function firstStep(from: Cell, known: KnownMaze, isGoal: (cell: Cell, tile: KnownTile) => boolean): Direction | undefined {
  const firstSideTo = new Map<string, Direction | null>([[cellKey(from), null]]);
  const queue: Cell[] = [from];
  for (let cell = queue.shift(); cell; cell = queue.shift()) {
    const tile = known(cell);
    if (!tile) continue;
    const first = firstSideTo.get(cellKey(cell)) ?? null;
    if (first !== null && isGoal(cell, tile)) return first;
    for (const side of DIRECTIONS.filter((candidate) => tile.openDirections.includes(candidate))) {
      const next = neighbour(cell, side);
      if (firstSideTo.has(cellKey(next))) continue;
      firstSideTo.set(cellKey(next), first ?? side);
      queue.push(next);
    }
  }
  return undefined;
}
