import assert from 'node:assert/strict';
import { logger } from '@colyseus/core';
import { RedisPresence } from '@colyseus/redis-presence';

// Obsolescence test of src/upstream/WatchedRedisPresence.ts: Colyseus's Redis presence, as it ships,
// still logs a warning for every failed connection attempt while Redis cannot be reached. No Redis
// needed: it is pointed at a port where nothing listens.
describe('upstream: @colyseus/redis-presence', () => {
  it('still logs a warning for every failed reconnection attempt', async () => {
    const warnings: unknown[][] = [];
    // Colyseus's logger (the console, or the one the last server in this process gave it).
    const warn = logger.warn.bind(logger);
    logger.warn = (...args: unknown[]) => void warnings.push(args);
    const presence = new RedisPresence('redis://127.0.0.1:1');
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500));
    } finally {
      presence.shutdown();
      logger.warn = warn;
    }
    const connectionErrors = warnings.filter(([message]) => /connection error/.test(String(message)));
    assert.ok(
      connectionErrors.length >= 4,
      `RedisPresence logged ${connectionErrors.length} connection warnings in 1.5 s of refused connections: src/upstream/WatchedRedisPresence.ts may go`,
    );
  });
});
