import { DIRECTION_STEP, DIRECTIONS, opposite, type Direction } from '../../src/maze/directions.ts';
import type { Lookup, RevealedTileView } from './GameTransport.ts';

type Cell = { x: number; y: number };
const keyOf = (cell: Cell) => `${cell.x},${cell.y}`;
const step = (cell: Cell, direction: Direction): Cell => ({ x: cell.x + DIRECTION_STEP[direction].dx, y: cell.y + DIRECTION_STEP[direction].dy });
const opensTo = (tile: RevealedTileView | undefined, direction: Direction) => !!tile && tile.openDirections.includes(direction);

/**
 * How a person finds the exit without a map: only from the tiles the room has revealed (the fog of
 * war), never from the seed. When a path to the exit is known through revealed tiles, it walks it;
 * otherwise it explores depth-first, preferring passages it has not been down, and turns back at
 * dead ends. One explorer per player and round.
 */
export class MazeExplorer {
  readonly #visited = new Set<string>();
  /** The way back: the cells from the round's start to here. */
  readonly #trail: Cell[] = [];
  /** Whether a revealed tile is the exit, looked for only among tiles revealed since the last look. */
  #exitRevealed = false;
  /**
   * The revealed tiles not looked at yet: a Map's iterator (a MapSchema's too) also yields entries
   * added after it was made, as long as it is never run past the end, so each tile is looked at once.
   */
  #unlooked: { tiles: Iterator<RevealedTileView>; looked: number } | undefined;

  /** Which unexplored passage to take first: each player has its own habit, as people do. */
  readonly #preference: Direction[];

  constructor(random: () => number = Math.random) {
    this.#preference = [...DIRECTIONS].sort(() => random() - 0.5);
  }

  /** The next step from `position` (copied: a synced state object changes under us), or undefined when the revealed tiles offer none. */
  nextStep(position: Cell, revealed: Lookup<RevealedTileView>): Direction | undefined {
    const here = { x: position.x, y: position.y };
    this.#arrive(here);
    const tile = revealed.get(keyOf(here));
    if (!tile) return undefined;
    const towardsExit = this.#exitIsRevealed(revealed) ? this.#firstStepToExit(here, revealed) : undefined;
    if (towardsExit) return towardsExit;
    const unexplored = this.#preference.find((direction) => opensTo(tile, direction) && !this.#visited.has(keyOf(step(here, direction))));
    if (unexplored) return unexplored;
    const back = this.#trail.at(-2);
    return back ? DIRECTIONS.find((direction) => keyOf(step(here, direction)) === keyOf(back)) : undefined;
  }

  /** Keeps the trail: a step back to the previous cell shortens it, any other step lengthens it. */
  #arrive(here: Cell): void {
    this.#visited.add(keyOf(here));
    const last = this.#trail.at(-1);
    if (last && keyOf(last) === keyOf(here)) return;
    const previous = this.#trail.at(-2);
    if (previous && keyOf(previous) === keyOf(here)) this.#trail.pop();
    else this.#trail.push(here);
  }

  #exitIsRevealed(revealed: Lookup<RevealedTileView>): boolean {
    // Fewer tiles than were looked at: the collection was emptied or replaced; start again.
    if (!this.#unlooked || revealed.size < this.#unlooked.looked) this.#unlooked = { tiles: revealed.values(), looked: 0 };
    const unlooked = this.#unlooked;
    while (!this.#exitRevealed && unlooked.looked < revealed.size) {
      const next = unlooked.tiles.next();
      if (next.done) {
        this.#unlooked = undefined;
        break;
      }
      unlooked.looked += 1;
      this.#exitRevealed = next.value.exit;
    }
    return this.#exitRevealed;
  }

  /** Breadth-first over revealed tiles only: the first step of a known path to a revealed exit. */
  #firstStepToExit(here: Cell, revealed: Lookup<RevealedTileView>): Direction | undefined {
    const firstSteps = new Map<string, Direction | null>([[keyOf(here), null]]);
    const queue: Cell[] = [here];
    for (let index = 0; index < queue.length; index++) {
      const cell = queue[index]!;
      const tile = revealed.get(keyOf(cell));
      if (!tile) continue;
      if (tile.exit) return firstSteps.get(keyOf(cell)) ?? undefined;
      for (const direction of DIRECTIONS) {
        const next = step(cell, direction);
        // A passage is walkable when both sides are revealed and open towards each other.
        if (!opensTo(tile, direction) || !opensTo(revealed.get(keyOf(next)), opposite(direction))) continue;
        if (firstSteps.has(keyOf(next))) continue;
        firstSteps.set(keyOf(next), firstSteps.get(keyOf(cell)) ?? direction);
        queue.push(next);
      }
    }
    return undefined;
  }
}
