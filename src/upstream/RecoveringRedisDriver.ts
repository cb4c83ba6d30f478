// Upstream workaround (see docs/architecture.md#upstream-workarounds).
// Package: @colyseus/redis-driver 0.18.3, `RedisDriver.getRooms` (private).
// Behaviour: a listing read that failed while Redis was away stays cached, and every later matchmaking
// fails with that old error until the process restarts.
// Upstream issue: none filed; the shared read came with colyseus/colyseus#653 ("Don't Crash REDIS").
// Obsolescence test: tests/cluster/upstreamRedisDriver.test.ts fails once upstream no longer behaves so; then this file may go.
import { initializeRoomCache, type IRoomCache, type SortOptions } from '@colyseus/core';
import { RedisDriver } from '@colyseus/redis-driver';
import { Query } from '@colyseus/redis-driver/Query';
import type { Redis } from 'ioredis';

/** The hash in which @colyseus/redis-driver keeps room listings (its ROOMCACHES_KEY, not exported). */
export const ROOM_LISTINGS = 'roomcaches';

/**
 * @colyseus/redis-driver 0.18.3 whose listing reads recover once Redis is back. The driver shares
 * one HGETALL among concurrent `query()` and `findOne()` calls and forgets it only when it succeeds
 * (its private `getRooms`: the entry is deleted in the `.then` callback, never on a rejection). A
 * read that failed while Redis was away therefore stays cached: every later matchmaking, listing
 * and dead-process cleanup of the process fails at once with that old error
 * (`MaxRetriesPerRequestError`) until it restarts. Here the shared read is forgotten however it ends.
 */
export class RecoveringRedisDriver extends RedisDriver {
  readonly #redis: Redis;
  #reading: Promise<IRoomCache[]> | undefined;

  constructor(redis: Redis) {
    super(redis);
    this.#redis = redis;
  }

  override async query(conditions: Partial<IRoomCache>, sortOptions?: SortOptions): Promise<IRoomCache[]> {
    return this.#select(conditions, sortOptions).all();
  }

  override async findOne(conditions: Partial<IRoomCache>, sortOptions?: SortOptions): Promise<IRoomCache> {
    // By roomId the driver reads that one listing (HGET) and caches nothing.
    if (conditions.roomId !== undefined) return super.findOne(conditions, sortOptions);
    const [first] = await this.#select(conditions, sortOptions).all();
    // Undefined when nothing matches, as with the driver's own (its declared type omits it).
    return first!;
  }

  #select(conditions: Partial<IRoomCache>, sortOptions: SortOptions | undefined): Query<IRoomCache> {
    const query = new Query(this.#listings(), conditions);
    return sortOptions ? query.sort(sortOptions) : query;
  }

  /** Every listing, read once for all the callers that ask while that read is under way. */
  #listings(): Promise<IRoomCache[]> {
    this.#reading ??= this.#redis
      .hgetall(ROOM_LISTINGS)
      .then((listings) => Object.values(listings).map((listing) => initializeRoomCache(JSON.parse(listing) as Partial<IRoomCache>)))
      .finally(() => {
        this.#reading = undefined;
      });
    return this.#reading;
  }
}
