import assert from 'node:assert/strict';
import type { Direction } from '../../src/maze/directions.ts';
import { TILE_IMAGE_NAMES, TILE_TYPES, tileImageOf, tileTypeOf } from '../../src/maze/tileShape.ts';
import { EXPECTED_TILE_SHAPES } from './expectedTileShapes.ts';

describe('tileShape', () => {
  for (const { open, type, image } of EXPECTED_TILE_SHAPES) {
    it(`maps open [${open.join('')}] to ${type} / ${image}`, () => {
      assert.equal(tileTypeOf(open), type);
      assert.equal(tileImageOf(open), image);
      // The input order must not matter.
      const reversed = [...open].reverse();
      assert.equal(tileTypeOf(reversed), type);
      assert.equal(tileImageOf(reversed), image);
    });
  }

  it('names exactly the 15 expected images', () => {
    assert.equal(new Set(TILE_IMAGE_NAMES).size, 15);
    assert.deepEqual([...TILE_IMAGE_NAMES].sort(), EXPECTED_TILE_SHAPES.map((shape) => shape.image).sort());
  });

  it('lists every tile type once', () => {
    assert.deepEqual([...TILE_TYPES].sort(), [...new Set(EXPECTED_TILE_SHAPES.map((shape) => shape.type))].sort());
  });

  it('rejects empty, duplicated and invalid sets', () => {
    for (const shape of [tileTypeOf, tileImageOf]) {
      assert.throws(() => shape([]), RangeError);
      assert.throws(() => shape(['N', 'N']), RangeError);
      assert.throws(() => shape(['N', 'X' as Direction]), TypeError);
    }
  });
});
