import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { DIRECTIONS, type Direction } from '../../src/maze/directions.ts';
import { TILE_IMAGE_NAMES, tileImageOf } from '../../src/maze/tileShape.ts';
import { projectRoot } from '../../src/projectRoot.ts';

/** Every non-empty set of open sides, as the maze engine can produce them. */
const ALL_OPEN_SETS: Direction[][] = Array.from({ length: 15 }, (_, index) => DIRECTIONS.filter((_, bit) => ((index + 1) & (1 << bit)) !== 0));

/** The middle pixel of each edge: white exactly where the tile opens. */
const EDGE_MIDPOINT: Record<Direction, [number, number]> = { N: [128, 0], E: [255, 128], S: [128, 255], W: [0, 128] };

function readTile(name: string): PNG {
  return PNG.sync.read(readFileSync(join(projectRoot, 'assets', 'tiles', name)));
}

describe('committed tile images', () => {
  it('exist for exactly the 15 reference names, and nothing else', () => {
    assert.deepEqual(new Set(ALL_OPEN_SETS.map(tileImageOf)), new Set(TILE_IMAGE_NAMES));
    assert.deepEqual(readdirSync(join(projectRoot, 'assets', 'tiles')).sort(), [...TILE_IMAGE_NAMES].sort());
  });

  for (const open of ALL_OPEN_SETS) {
    const name = tileImageOf(open);
    it(`${name} is 256×256 and open exactly towards ${open.join('')}`, () => {
      const png = readTile(name);
      assert.equal(png.width, 256);
      assert.equal(png.height, 256);
      const centre = (128 * 256 + 128) * 4;
      assert.equal(png.data[centre], 255, 'the centre is passage');
      for (const direction of DIRECTIONS) {
        const [x, y] = EDGE_MIDPOINT[direction];
        const white = png.data[(y * 256 + x) * 4] === 255;
        assert.equal(white, open.includes(direction), `${direction} edge`);
      }
      assert.equal(png.data[0], 0, 'corners are wall');
    });
  }
});
