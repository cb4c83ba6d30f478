import { DIRECTIONS, isDirection, opposite, sortDirections } from './directions.ts';
import type { Direction } from './directions.ts';

/** Shape of a maze cell, determined by how many sides are open and how they sit. */
export type TileType = 'dead_end' | 'corridor' | 'turn' | 't_section' | 'crossroad';

/** Every tile type, fewest openings first. */
export const TILE_TYPES: readonly TileType[] = ['dead_end', 'corridor', 'turn', 't_section', 'crossroad'];

/**
 * The 15 tile image file names the clients ship. Dead ends are named by their
 * open side, T-sections by their closed side, turns with N or S first.
 */
export const TILE_IMAGE_NAMES = [
  'tile_dead_end_N.png',
  'tile_dead_end_E.png',
  'tile_dead_end_S.png',
  'tile_dead_end_W.png',
  'tile_corridor_NS.png',
  'tile_corridor_EW.png',
  'tile_turn_NE.png',
  'tile_turn_NW.png',
  'tile_turn_SE.png',
  'tile_turn_SW.png',
  'tile_t_section_N.png',
  'tile_t_section_E.png',
  'tile_t_section_S.png',
  'tile_t_section_W.png',
  'tile_crossroad.png',
] as const;

/** File name of one of the 15 tile images. */
export type TileImageName = (typeof TILE_IMAGE_NAMES)[number];

/**
 * Validates a set of open sides and returns it in canonical order.
 * A closed cell cannot occur in a connected maze, so an empty set signals a bug upstream.
 */
function canonicalOpenSides(open: readonly Direction[]): Direction[] {
  for (const side of open) {
    if (!isDirection(side)) throw new TypeError(`Not a direction: ${String(side)}`);
  }
  const sorted = sortDirections(open);
  if (sorted.length !== open.length) throw new RangeError(`Duplicate open direction in [${open.join(',')}]`);
  if (sorted.length === 0) throw new RangeError('A tile needs at least one open direction');
  return sorted;
}

/** Tile type of a cell whose given sides are open. Throws on an empty, duplicated or invalid set. */
export function tileTypeOf(open: readonly Direction[]): TileType {
  const sides = canonicalOpenSides(open);
  switch (sides.length) {
    case 1:
      return 'dead_end';
    case 2:
      return sides[1] === opposite(sides[0]!) ? 'corridor' : 'turn';
    case 3:
      return 't_section';
    default:
      return 'crossroad';
  }
}

/** Image file name of a cell whose given sides are open. Throws like {@link tileTypeOf}. */
export function tileImageOf(open: readonly Direction[]): TileImageName {
  const sides = canonicalOpenSides(open);
  const type = tileTypeOf(sides);
  switch (type) {
    case 'dead_end':
      return `tile_dead_end_${sides[0]!}.png`;
    case 'corridor':
      return sides[0] === 'N' ? 'tile_corridor_NS.png' : 'tile_corridor_EW.png';
    case 'turn': {
      // Canonical order puts E before S, so the vertical side has to be picked out explicitly.
      const vertical = sides.includes('N') ? 'N' : 'S';
      const horizontal = sides.includes('E') ? 'E' : 'W';
      return `tile_turn_${vertical}${horizontal}.png`;
    }
    case 't_section': {
      const closed = DIRECTIONS.find((side) => !sides.includes(side))!;
      return `tile_t_section_${closed}.png`;
    }
    case 'crossroad':
      return 'tile_crossroad.png';
  }
}
