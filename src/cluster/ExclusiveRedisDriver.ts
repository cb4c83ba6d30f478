import type { IRoomCache } from '@colyseus/core';
import { RedisDriver } from '@colyseus/redis-driver';
import type { Redis } from 'ioredis';

/** The hash in which @colyseus/redis-driver keeps room listings (its ROOMCACHES_KEY, not exported). */
const ROOM_LISTINGS = 'roomcaches';

/** Deletes a listing only if this process wrote it; KEYS[1] the hash, ARGV the roomId and processId. */
const REMOVE_OWN_LISTING = `
local listing = redis.call('HGET', KEYS[1], ARGV[1])
if not listing or cjson.decode(listing).processId ~= ARGV[2] then return 0 end
return redis.call('HDEL', KEYS[1], ARGV[1])`;

/**
 * @colyseus/redis-driver 0.18.3 with the two guarantees a room per session needs (our roomId is the
 * session id, so two processes may try to list the same roomId):
 *
 * - `insert()`: Colyseus records a new room through `insert()` when the driver has one, and when it
 *   answers false it discards its own room and hands out the one already listed. The Redis driver
 *   lacks it, so Colyseus falls back to an overwriting `persist()` and concurrent first joins on
 *   two processes could each keep a room. HSETNX makes the first listing win, atomically.
 * - `remove()` only deletes a listing this process wrote. A room closing at shutdown is delisted
 *   as it starts closing and again once it is gone; its clients meanwhile rejoin through another
 *   process, which lists a new room under the same id, and the late second delete must not erase
 *   that listing.
 */
export class ExclusiveRedisDriver extends RedisDriver {
  readonly #redis: Redis;
  readonly #processId: () => string;

  /** `processId`: this process's Colyseus processId (known only once the matchmaker is set up). */
  constructor(redis: Redis, processId: () => string) {
    super(redis);
    this.#redis = redis;
    this.#processId = processId;
  }

  async insert(room: IRoomCache): Promise<boolean> {
    return (await this.#redis.hsetnx(ROOM_LISTINGS, room.roomId, JSON.stringify(room))) === 1;
  }

  override async remove(roomId: string): Promise<boolean> {
    const removed = await this.#redis.eval(REMOVE_OWN_LISTING, 1, ROOM_LISTINGS, roomId, this.#processId());
    return removed === 1;
  }
}
