import assert from 'node:assert/strict';
import { initializeRoomCache } from '@colyseus/core';
import { Redis } from 'ioredis';
import { ExclusiveRedisDriver } from '../../src/cluster/ExclusiveRedisDriver.ts';

// The driver of two processes on one Redis: a roomId is listed by whoever lists it first, and only
// that process's removals delete the listing.
describe('ExclusiveRedisDriver', () => {
  const redisUrl = process.env.TEST_REDIS_URL;
  let processA: ExclusiveRedisDriver;
  let processB: ExclusiveRedisDriver;

  before(() => {
    if (!redisUrl) throw new Error('these tests need TEST_REDIS_URL; run them with `npm test` (tests/run.ts)');
  });
  beforeEach(async () => {
    processA = new ExclusiveRedisDriver(new Redis(redisUrl!), () => 'process-a');
    processB = new ExclusiveRedisDriver(new Redis(redisUrl!), () => 'process-b');
    await processA.clear();
  });
  afterEach(async () => {
    await processA.shutdown();
    await processB.shutdown();
  });

  const listing = (processId: string) =>
    initializeRoomCache({ name: 'labyrinth', roomId: 'session-1', processId, metadata: { sessionId: 'session-1' } });

  it('lists a roomId once: the second insert is refused and the first listing stays', async () => {
    assert.equal(await processA.insert(listing('process-a')), true);
    assert.equal(await processB.insert(listing('process-b')), false);
    const listed = await processB.findOne({ roomId: 'session-1' });
    assert.equal(listed.processId, 'process-a');
    const found = await processB.findOne({ name: 'labyrinth', sessionId: 'session-1' } as never);
    assert.equal(found.processId, 'process-a');
  });

  it('removes a listing only for the process that wrote it', async () => {
    await processA.insert(listing('process-a'));
    assert.equal(await processB.remove('session-1'), false);
    assert.equal(await processB.has('session-1'), true);
    assert.equal(await processA.remove('session-1'), true);
    assert.equal(await processA.has('session-1'), false);
    assert.equal(await processA.remove('session-1'), false);
  });
});
