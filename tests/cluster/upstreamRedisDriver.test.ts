import assert from 'node:assert/strict';
import { once } from 'node:events';
import { initializeRoomCache } from '@colyseus/core';
import { RedisDriver } from '@colyseus/redis-driver';
import { Redis } from 'ioredis';
import { RecoveringRedisDriver } from '../../src/upstream/RecoveringRedisDriver.ts';

// Obsolescence tests of the workarounds for @colyseus/redis-driver (src/upstream/): each checks, on
// the real upstream class and a real Redis, that the behaviour worked around is still there. When
// one fails after an upgrade, upstream changed: read the workaround's header, and delete it if it
// no longer adds anything (then this test with it).
describe('upstream: @colyseus/redis-driver', () => {
  const redisUrl = process.env.TEST_REDIS_URL;
  const clients: Redis[] = [];

  before(() => {
    if (!redisUrl) throw new Error('these tests need TEST_REDIS_URL; run them with `npm test` (tests/run.ts)');
  });
  beforeEach(async () => {
    await (await connect()).flushdb();
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });

  /** A connection that fails commands at once while it is down (no offline queue), as ioredis does after its retries. */
  async function connect(): Promise<Redis> {
    const client = new Redis(redisUrl!, { enableOfflineQueue: false, lazyConnect: true });
    clients.push(client);
    await client.connect();
    return client;
  }

  /** Fails one listing read by closing the connection, brings the connection back, and returns the read's error. */
  async function failOneRead(client: Redis, read: () => Promise<unknown>): Promise<unknown> {
    const ended = once(client, 'end');
    client.disconnect();
    await ended;
    const failure = await read().then(
      () => assert.fail('a read on a closed connection succeeded'),
      (error: unknown) => error,
    );
    await client.connect();
    await client.ping();
    return failure;
  }

  it('RecoveringRedisDriver: upstream still keeps a failed listing read, and fails every later one with it', async () => {
    const client = await connect();
    const upstream = new RedisDriver(client);
    const failure = await failOneRead(client, () => upstream.query({}));
    await assert.rejects(
      upstream.query({}),
      (error) => error === failure,
      'RedisDriver reads the listings again once Redis is back: src/upstream/RecoveringRedisDriver.ts may go',
    );
    // The workaround, on the same kind of connection, reads again.
    const ourClient = await connect();
    const ours = new RecoveringRedisDriver(ourClient);
    await failOneRead(ourClient, () => ours.query({}));
    assert.deepEqual(await ours.query({}), []);
  });

  it('ExclusiveRedisDriver: upstream still has no insert(), and removes and overwrites another process’s listing', async () => {
    const upstream = new RedisDriver(await connect());
    assert.equal(
      (upstream as { insert?: unknown }).insert,
      undefined,
      'RedisDriver has insert() now: check whether src/upstream/ExclusiveRedisDriver.ts still adds anything',
    );
    const listing = (processId: string) => initializeRoomCache({ name: 'labyrinth', roomId: 'session-1', processId });
    await upstream.persist(listing('process-a'), true);
    await upstream.persist(listing('process-b'), true);
    assert.equal((await upstream.findOne({ roomId: 'session-1' })).processId, 'process-b', 'a second create no longer overwrites the first listing');
    assert.equal(
      await upstream.remove('session-1'),
      true,
      "RedisDriver no longer removes a listing whatever process wrote it: ExclusiveRedisDriver's remove() may go",
    );
  });
});
