import assert from 'node:assert/strict';
import { newMazeSeed } from '../../src/maze/newMazeSeed.ts';

describe('newMazeSeed', () => {
  it('returns 32 lowercase hex characters', () => {
    for (let i = 0; i < 20; i++) assert.match(newMazeSeed(), /^[0-9a-f]{32}$/);
  });

  it('returns a different seed on each call', () => {
    const seeds = new Set(Array.from({ length: 100 }, () => newMazeSeed()));
    assert.equal(seeds.size, 100);
  });
});
