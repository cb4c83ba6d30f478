import assert from 'node:assert/strict';
import { logFormatFor } from '../../src/logger.ts';

describe('log format', () => {
  it('is readable for a person at a terminal in development', () => {
    assert.equal(logFormatFor('development', { isTTY: true }), 'readable');
  });

  it('is JSON lines when the output is not a terminal (PM2, a file, a pipe) or outside development', () => {
    assert.equal(logFormatFor('development', { isTTY: false }), 'json');
    assert.equal(logFormatFor('development', {}), 'json');
    assert.equal(logFormatFor('production', { isTTY: true }), 'json');
    assert.equal(logFormatFor('test', { isTTY: true }), 'json');
  });
});
