import type { Direction } from '../../src/maze/directions.ts';

/**
 * The old system's tile naming, written out by hand for all 15 non-empty open sets so
 * that tests compare against an independent source instead of re-running tileShape.ts.
 */
export const EXPECTED_TILE_SHAPES: readonly { open: Direction[]; type: string; image: string }[] = [
  { open: ['N'], type: 'dead_end', image: 'tile_dead_end_N.png' },
  { open: ['E'], type: 'dead_end', image: 'tile_dead_end_E.png' },
  { open: ['S'], type: 'dead_end', image: 'tile_dead_end_S.png' },
  { open: ['W'], type: 'dead_end', image: 'tile_dead_end_W.png' },
  { open: ['N', 'S'], type: 'corridor', image: 'tile_corridor_NS.png' },
  { open: ['E', 'W'], type: 'corridor', image: 'tile_corridor_EW.png' },
  { open: ['N', 'E'], type: 'turn', image: 'tile_turn_NE.png' },
  { open: ['N', 'W'], type: 'turn', image: 'tile_turn_NW.png' },
  { open: ['E', 'S'], type: 'turn', image: 'tile_turn_SE.png' },
  { open: ['S', 'W'], type: 'turn', image: 'tile_turn_SW.png' },
  { open: ['E', 'S', 'W'], type: 't_section', image: 'tile_t_section_N.png' },
  { open: ['N', 'S', 'W'], type: 't_section', image: 'tile_t_section_E.png' },
  { open: ['N', 'E', 'W'], type: 't_section', image: 'tile_t_section_S.png' },
  { open: ['N', 'E', 'S'], type: 't_section', image: 'tile_t_section_W.png' },
  { open: ['N', 'E', 'S', 'W'], type: 'crossroad', image: 'tile_crossroad.png' },
];
