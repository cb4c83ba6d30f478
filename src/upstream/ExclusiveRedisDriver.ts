// Upstream workaround (see docs/architecture.md#upstream-workarounds).
// Package: @colyseus/redis-driver 0.18.3 (with @colyseus/core 0.18.17's `recordRoom`).
// Behaviour: the driver has no `insert()` (the LocalDriver has), so two processes creating a room under
// one roomId both keep theirs; `remove()`, `persist()` and `update()` write over another process's listing.
// Upstream issue: colyseus/colyseus#467 "Enforce room ID uniqueness" (open).
// Obsolescence test: tests/cluster/upstreamRedisDriver.test.ts fails once upstream no longer behaves so; then this file may go.
import type { IRoomCache } from '@colyseus/core';
import type { Redis } from 'ioredis';
import { RecoveringRedisDriver, ROOM_LISTINGS } from './RecoveringRedisDriver.ts';

// KEYS[1] the hash; ARGV[1] the roomId, ARGV[2] this process's id, ARGV[3] the listing (JSON).
/** Writes a listing unless another process's listing holds that roomId. */
const WRITE_UNLESS_OTHERS = `
local listing = redis.call('HGET', KEYS[1], ARGV[1])
if listing and cjson.decode(listing).processId ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1`;
/** Deletes a listing only if this process wrote it. */
const REMOVE_OWN = `
local listing = redis.call('HGET', KEYS[1], ARGV[1])
if not listing or cjson.decode(listing).processId ~= ARGV[2] then return 0 end
return redis.call('HDEL', KEYS[1], ARGV[1])`;

type ListingUpdate = Partial<{ $set: Partial<IRoomCache>; $inc: Partial<IRoomCache> }>;

/**
 * The Redis driver (RecoveringRedisDriver) where a roomId is listed once, by one process. Our roomId is the
 * session id, so two processes may try to list the same one:
 *
 * - `insert()`: Colyseus records a new room through `insert()` when the driver has one, and when it
 *   answers false it discards its own room and hands out the one already listed. The Redis driver
 *   lacks it, so Colyseus falls back to an overwriting write and concurrent first joins on two
 *   processes could each keep a room. HSETNX makes the first listing win, atomically.
 * - `remove()` deletes only this process's listing. A room closing at shutdown is delisted as it
 *   starts closing and again once it is gone; its clients meanwhile rejoin through another process,
 *   which lists a new room under the same id, and the late second delete must not erase that.
 * - `persist()` and `update()` never write over another process's listing: a room whose listing
 *   was removed while it still ran (its process missed a health check) must not take the listing
 *   of the room that replaced it when it re-lists itself.
 */
export class ExclusiveRedisDriver extends RecoveringRedisDriver {
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

  override async persist(room: IRoomCache, create = false): Promise<boolean> {
    if (!room.roomId) return false;
    return create ? this.insert(room) : this.#writeUnlessOthers(room);
  }

  override async update(room: IRoomCache, operations: ListingUpdate): Promise<boolean> {
    Object.assign(room, operations.$set);
    for (const [field, amount] of Object.entries(operations.$inc ?? {})) {
      (room as unknown as Record<string, number>)[field]! += amount as number;
    }
    return this.#writeUnlessOthers(room);
  }

  override async remove(roomId: string): Promise<boolean> {
    return (await this.#redis.eval(REMOVE_OWN, 1, ROOM_LISTINGS, roomId, this.#processId())) === 1;
  }

  async #writeUnlessOthers(room: IRoomCache): Promise<boolean> {
    const written = await this.#redis.eval(WRITE_UNLESS_OTHERS, 1, ROOM_LISTINGS, room.roomId, this.#processId(), JSON.stringify(room));
    return written === 1;
  }
}
