// Upstream workaround (see docs/architecture.md#upstream-workarounds).
// Package: @colyseus/redis-driver 0.18.3 (with @colyseus/core 0.18.17's `recordRoom`).
// Behaviour: the driver has no `insert()` (the LocalDriver has), so two processes creating a room under
// one roomId both keep theirs; `remove()`, `persist()` and `update()` write over another process's listing;
// `cleanup()` (a sweep of a silent process) deletes by a snapshot of the listings, so also a listing that
// another process wrote meanwhile under one of those roomIds (not filed upstream).
// Upstream issue: colyseus/colyseus#467 "Enforce room ID uniqueness" (open).
// Obsolescence test: tests/cluster/upstreamRedisDriver.test.ts fails once upstream no longer behaves so; then this file may go.
import type { IRoomCache } from '@colyseus/core';
import type { Redis } from 'ioredis';
import { RecoveringRedisDriver, ROOM_LISTINGS } from './RecoveringRedisDriver.ts';

// KEYS[1] the hash; ARGV[1] the roomId, ARGV[2] this process's id, ARGV[3] the listing (JSON).
/** Rewrites this process's own listing; writes nothing when the roomId is unlisted or another process's. */
const UPDATE_OWN = `
local listing = redis.call('HGET', KEYS[1], ARGV[1])
if not listing or cjson.decode(listing).processId ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1`;
/** Deletes a listing only if the process ARGV[2] wrote it. */
const REMOVE_OWN = `
local listing = redis.call('HGET', KEYS[1], ARGV[1])
if not listing or cjson.decode(listing).processId ~= ARGV[2] then return 0 end
return redis.call('HDEL', KEYS[1], ARGV[1])`;
// KEYS[1] the hash; ARGV[1] a process's id, ARGV[2..] roomIds it listed when they were read.
/** Deletes those of the roomIds still listed by that process (a sweep must not delete a listing written since by another). */
const REMOVE_STILL_LISTED_BY = `
local removed = 0
for i = 2, #ARGV do
  local listing = redis.call('HGET', KEYS[1], ARGV[i])
  if listing and cjson.decode(listing).processId == ARGV[1] then removed = removed + redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return removed`;

type ListingUpdate = Partial<{ $set: Partial<IRoomCache>; $inc: Partial<IRoomCache> }>;

/**
 * The Redis driver (RecoveringRedisDriver) where a roomId is listed once, by one process, and only
 * by a room that may be joined. Our roomId is the session id, so two processes may try to list the
 * same one:
 *
 * - `insert()`: Colyseus records a new room through `insert()` when the driver has one, and when it
 *   answers false it discards its own room and hands out the one already listed. The Redis driver
 *   lacks it, so Colyseus falls back to an overwriting write and concurrent first joins on two
 *   processes could each keep a room. HSETNX makes the first listing win, atomically. And a room
 *   is listed only if `mayList` says so (a labyrinth room: while its process owns its session), so
 *   a room that lost its session (a paused process that resumed, one cut off from Redis that comes
 *   back) cannot list itself again when Colyseus restores the listings of a process it swept.
 * - `remove()` deletes only this process's listing. A room closing at shutdown is delisted as it
 *   starts closing and again once it is gone; its clients meanwhile rejoin through another process,
 *   which lists a new room under the same id, and the late second delete must not erase that.
 * - `persist()` and `update()` rewrite only this process's own listing: a room whose listing was
 *   removed while it still ran (its process missed a health check) neither takes the listing of the
 *   room that replaced it nor lists itself again by a metadata change (only `insert()` lists).
 * - `cleanup()`, a process sweeping a dead one's listings, deletes those still that process's when
 *   deleted, not a listing written meanwhile by the room that took a session over.
 */
export class ExclusiveRedisDriver extends RecoveringRedisDriver {
  readonly #redis: Redis;
  readonly #processId: () => string;
  readonly #mayList: (listing: IRoomCache) => boolean;

  /**
   * `processId`: this process's Colyseus processId (known only once the matchmaker is set up);
   * `mayList`: whether a room of this process may be listed now.
   */
  constructor(redis: Redis, processId: () => string, mayList: (listing: IRoomCache) => boolean = () => true) {
    super(redis);
    this.#redis = redis;
    this.#processId = processId;
    this.#mayList = mayList;
  }

  async insert(room: IRoomCache): Promise<boolean> {
    if (!this.#mayList(room)) return false;
    return (await this.#redis.hsetnx(ROOM_LISTINGS, room.roomId, JSON.stringify(room))) === 1;
  }

  override async persist(room: IRoomCache, create = false): Promise<boolean> {
    if (!room.roomId) return false;
    return create ? this.insert(room) : this.#updateOwn(room);
  }

  override async update(room: IRoomCache, operations: ListingUpdate): Promise<boolean> {
    Object.assign(room, operations.$set);
    for (const [field, amount] of Object.entries(operations.$inc ?? {})) {
      (room as unknown as Record<string, number>)[field]! += amount as number;
    }
    return this.#updateOwn(room);
  }

  override async remove(roomId: string): Promise<boolean> {
    return (await this.#redis.eval(REMOVE_OWN, 1, ROOM_LISTINGS, roomId, this.#processId())) === 1;
  }

  override async cleanup(processId: string): Promise<void> {
    const listed = await this.query({ processId });
    for (let from = 0; from < listed.length; from += 500) {
      const roomIds = listed.slice(from, from + 500).map((room) => room.roomId);
      await this.#redis.eval(REMOVE_STILL_LISTED_BY, 1, ROOM_LISTINGS, processId, ...roomIds);
    }
  }

  async #updateOwn(room: IRoomCache): Promise<boolean> {
    const written = await this.#redis.eval(UPDATE_OWN, 1, ROOM_LISTINGS, room.roomId, this.#processId(), JSON.stringify(room));
    return written === 1;
  }
}
