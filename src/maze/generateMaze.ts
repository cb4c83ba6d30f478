import seedrandom from 'seedrandom';
import { DIRECTIONS } from './directions.ts';
import type { Direction } from './directions.ts';
import { tileImageOf, tileTypeOf } from './tileShape.ts';
import type { TileImageName, TileType } from './tileShape.ts';

/** Smallest accepted maze side length. */
export const MIN_MAZE_SIZE = 4;
/** Largest accepted maze side length. */
export const MAX_MAZE_SIZE = 64;

/** One cell of a generated maze. */
export type MazeTile = {
  x: number;
  y: number;
  type: TileType;
  /** Open sides in canonical order N, E, S, W. */
  openDirections: Direction[];
  image: TileImageName;
};

/** A perfect maze (exactly one path between any two cells) on a size × size grid. */
export type Maze = {
  seed: string;
  size: number;
  startX: number;
  startY: number;
  /** The cell farthest from the start along the passages. */
  exit: { x: number; y: number };
  /** All size² cells in row-major order (y outer, x inner). */
  tiles: MazeTile[];
};

// Internal representation: one byte per cell, one bit per open side. Bit i belongs to
// DIRECTIONS[i], so the opposite side of bit index i is (i + 2) % 4.
const BIT_DX: readonly number[] = [0, 1, 0, -1];
const BIT_DY: readonly number[] = [-1, 0, 1, 0];

type TileShape = { type: TileType; openDirections: readonly Direction[]; image: TileImageName };

// Precomputed once so that building 4096 tiles costs a table lookup each.
const SHAPE_BY_MASK: readonly (TileShape | undefined)[] = Array.from({ length: 16 }, (_, mask) => {
  if (mask === 0) return undefined;
  const openDirections = DIRECTIONS.filter((_, bit) => (mask & (1 << bit)) !== 0);
  return { type: tileTypeOf(openDirections), openDirections, image: tileImageOf(openDirections) };
});

/**
 * Generates the maze for (size, seed). The result depends only on these two values, so
 * every machine and process derives the same maze from a shared seed.
 *
 * @throws RangeError if size is not an integer in MIN_MAZE_SIZE..MAX_MAZE_SIZE.
 */
export function generateMaze(size: number, seed: string): Maze {
  if (!Number.isInteger(size) || size < MIN_MAZE_SIZE || size > MAX_MAZE_SIZE) {
    throw new RangeError(`Maze size must be an integer in ${MIN_MAZE_SIZE}..${MAX_MAZE_SIZE}, got ${size}`);
  }
  if (typeof seed !== 'string') throw new TypeError('Maze seed must be a string');

  const random = seedrandom(seed);
  const randomBelow = (n: number): number => Math.floor(random() * n);

  // The order of these draws is part of the seed contract: start x, start y, then carving.
  const startX = randomBelow(size);
  const startY = randomBelow(size);
  const start = startY * size + startX;

  const openSides = carvePassages(size, start, randomBelow);
  const exit = farthestCell(size, start, openSides);

  const tiles: MazeTile[] = [];
  for (let cell = 0; cell < openSides.length; cell++) {
    const shape = SHAPE_BY_MASK[openSides[cell]!];
    if (shape === undefined) throw new Error(`Cell ${cell} was never carved`);
    tiles.push({
      x: cell % size,
      y: Math.floor(cell / size),
      type: shape.type,
      openDirections: [...shape.openDirections],
      image: shape.image,
    });
  }

  return { seed, size, startX, startY, exit: { x: exit % size, y: Math.floor(exit / size) }, tiles };
}

/**
 * Recursive-backtracker carving, written with an explicit stack so that a 64×64 grid
 * cannot overflow the call stack. Each cell shuffles its four directions once when first
 * reached and then tries them in that order, exactly as the recursive version would.
 */
function carvePassages(size: number, start: number, randomBelow: (n: number) => number): Uint8Array {
  const cellCount = size * size;
  const openSides = new Uint8Array(cellCount);
  const visited = new Uint8Array(cellCount);
  const tryOrder = new Uint8Array(cellCount * 4);
  const nextTry = new Uint8Array(cellCount);
  const stack = new Int32Array(cellCount);
  let depth = 0;

  const enter = (cell: number): void => {
    visited[cell] = 1;
    const base = cell * 4;
    for (let i = 0; i < 4; i++) tryOrder[base + i] = i;
    // Fisher–Yates
    for (let i = 3; i > 0; i--) {
      const j = randomBelow(i + 1);
      const swap = tryOrder[base + i]!;
      tryOrder[base + i] = tryOrder[base + j]!;
      tryOrder[base + j] = swap;
    }
    stack[depth++] = cell;
  };

  enter(start);
  while (depth > 0) {
    const cell = stack[depth - 1]!;
    if (nextTry[cell] === 4) {
      depth--;
      continue;
    }
    const bit = tryOrder[cell * 4 + nextTry[cell]!]!;
    nextTry[cell] = nextTry[cell]! + 1;
    const x = (cell % size) + BIT_DX[bit]!;
    const y = Math.floor(cell / size) + BIT_DY[bit]!;
    if (x < 0 || y < 0 || x >= size || y >= size) continue;
    const neighbour = y * size + x;
    if (visited[neighbour]) continue;
    openSides[cell] = openSides[cell]! | (1 << bit);
    openSides[neighbour] = openSides[neighbour]! | (1 << ((bit + 2) % 4));
    enter(neighbour);
  }
  return openSides;
}

/** Breadth-first search over open passages; ties go to the first cell in row-major order. */
function farthestCell(size: number, start: number, openSides: Uint8Array): number {
  const distance = new Int32Array(openSides.length).fill(-1);
  const queue = new Int32Array(openSides.length);
  let head = 0;
  let tail = 0;
  distance[start] = 0;
  queue[tail++] = start;
  while (head < tail) {
    const cell = queue[head++]!;
    const x = cell % size;
    const y = Math.floor(cell / size);
    for (let bit = 0; bit < 4; bit++) {
      if ((openSides[cell]! & (1 << bit)) === 0) continue;
      const neighbour = (y + BIT_DY[bit]!) * size + (x + BIT_DX[bit]!);
      if (distance[neighbour] !== -1) continue;
      distance[neighbour] = distance[cell]! + 1;
      queue[tail++] = neighbour;
    }
  }

  let farthest = start;
  for (let cell = 0; cell < distance.length; cell++) {
    if (distance[cell]! > distance[farthest]!) farthest = cell;
  }
  return farthest;
}
