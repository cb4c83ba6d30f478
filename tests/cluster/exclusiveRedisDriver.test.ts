import assert from 'node:assert/strict';
import { initializeRoomCache } from '@colyseus/core';
import { Redis } from 'ioredis';
import { ExclusiveRedisDriver } from '../../src/upstream/ExclusiveRedisDriver.ts';

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

  const listing = (processId: string) => initializeRoomCache({ name: 'labyrinth', roomId: 'session-1', processId, metadata: { sessionId: 'session-1' } });

  it('lists a roomId once: the second insert is refused and the first listing stays', async () => {
    assert.equal(await processA.insert(listing('process-a')), true);
    assert.equal(await processB.insert(listing('process-b')), false);
    const listed = await processB.findOne({ roomId: 'session-1' });
    assert.equal(listed.processId, 'process-a');
    const found = await processB.findOne({ name: 'labyrinth', sessionId: 'session-1' } as never);
    assert.equal(found.processId, 'process-a');
  });

  it("updates a process's own listing, and never writes over another process's", async () => {
    const own = listing('process-a');
    await processA.insert(own);
    assert.equal(await processA.update(own, { $inc: { clients: 2 }, $set: { locked: true } }), true);
    assert.equal(await processA.persist({ ...own, metadata: { sessionId: 'session-1', players: 2 } }), true);

    const stranger = listing('process-b');
    assert.equal(await processB.persist(stranger), false);
    assert.equal(await processB.persist(stranger, true), false);
    assert.equal(await processB.update(stranger, { $inc: { clients: 1 } }), false);
    const listed = await processB.findOne({ roomId: 'session-1' });
    assert.deepEqual([listed.processId, listed.clients, listed.locked, listed.metadata.players], ['process-a', 2, true, 2]);
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
