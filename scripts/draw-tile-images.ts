/**
 * Draws the 15 maze tile images into assets/tiles/ (256×256, black walls, white passages).
 * The PNGs are committed; rerun only when the look of the tiles should change:
 *   node scripts/draw-tile-images.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { DIRECTIONS } from '../src/maze/directions.ts';
import type { Direction } from '../src/maze/directions.ts';
import { TILE_IMAGE_NAMES, tileImageOf } from '../src/maze/tileShape.ts';
import type { TileImageName } from '../src/maze/tileShape.ts';

const TILE_SIZE = 256;
// A passage of 3/8 of the tile, centred, leaves walls of equal width on both sides
// (80 + 96 + 80), so tiles line up seamlessly when placed next to each other.
const PASSAGE_START = 80;
const PASSAGE_END = TILE_SIZE - PASSAGE_START; // exclusive

const OUTPUT_DIR = join(import.meta.dirname, '..', 'assets', 'tiles');

/** Whether pixel (x, y) lies on the passage: the centre square or an arm towards an open side. */
function isPassage(x: number, y: number, open: ReadonlySet<Direction>): boolean {
  const inColumn = x >= PASSAGE_START && x < PASSAGE_END;
  const inRow = y >= PASSAGE_START && y < PASSAGE_END;
  if (inColumn && inRow) return true;
  if (inColumn && y < PASSAGE_START) return open.has('N');
  if (inColumn && y >= PASSAGE_END) return open.has('S');
  if (inRow && x >= PASSAGE_END) return open.has('E');
  if (inRow && x < PASSAGE_START) return open.has('W');
  return false;
}

function drawTile(open: readonly Direction[]): Buffer {
  const openSides = new Set(open);
  const png = new PNG({ width: TILE_SIZE, height: TILE_SIZE, colorType: 0 });
  for (let y = 0; y < TILE_SIZE; y++) {
    for (let x = 0; x < TILE_SIZE; x++) {
      const value = isPassage(x, y, openSides) ? 255 : 0;
      const offset = (y * TILE_SIZE + x) * 4;
      png.data[offset] = value;
      png.data[offset + 1] = value;
      png.data[offset + 2] = value;
      png.data[offset + 3] = 255;
    }
  }
  return PNG.sync.write(png, { colorType: 0 });
}

/** The open set behind each image name, found by trying all 15 non-empty sets. */
function openSidesByImage(): Map<TileImageName, Direction[]> {
  const byImage = new Map<TileImageName, Direction[]>();
  for (let mask = 1; mask < 1 << DIRECTIONS.length; mask++) {
    const open = DIRECTIONS.filter((_, bit) => (mask & (1 << bit)) !== 0);
    byImage.set(tileImageOf(open), open);
  }
  return byImage;
}

const byImage = openSidesByImage();
mkdirSync(OUTPUT_DIR, { recursive: true });
for (const name of TILE_IMAGE_NAMES) {
  const open = byImage.get(name);
  if (open === undefined) throw new Error(`No open set maps to ${name}`);
  writeFileSync(join(OUTPUT_DIR, name), drawTile(open));
  console.log(`${name}  open: ${open.join('')}`);
}
