/** A side of a maze cell. The grid's y axis grows southward. */
export type Direction = 'N' | 'E' | 'S' | 'W';

/** All directions in the canonical output order (clockwise from north). */
export const DIRECTIONS: readonly Direction[] = ['N', 'E', 'S', 'W'];

/** Grid offset of one step towards each direction (N = y-1, S = y+1). */
export const DIRECTION_STEP: Readonly<Record<Direction, { readonly dx: number; readonly dy: number }>> = {
  N: { dx: 0, dy: -1 },
  E: { dx: 1, dy: 0 },
  S: { dx: 0, dy: 1 },
  W: { dx: -1, dy: 0 },
};

const OPPOSITE: Readonly<Record<Direction, Direction>> = { N: 'S', E: 'W', S: 'N', W: 'E' };

/** The direction pointing the other way. */
export function opposite(direction: Direction): Direction {
  return OPPOSITE[direction];
}

/** True for exactly the four direction letters (for validating untyped input). */
export function isDirection(value: unknown): value is Direction {
  return value === 'N' || value === 'E' || value === 'S' || value === 'W';
}

/** The given directions without duplicates, in the canonical order N, E, S, W. */
export function sortDirections(directions: Iterable<Direction>): Direction[] {
  const present = new Set(directions);
  return DIRECTIONS.filter((direction) => present.has(direction));
}
