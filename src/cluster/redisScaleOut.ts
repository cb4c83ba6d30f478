import { matchMaker, type IRoomCache } from '@colyseus/core';
import type { Logger } from '../logger.ts';
import { connectRedis, pingWithin, withoutPassword } from './connectRedis.ts';
import { ExclusiveRedisDriver } from '../upstream/ExclusiveRedisDriver.ts';
import { RedisHealth } from './RedisHealth.ts';
import { WatchedRedisPresence } from '../upstream/WatchedRedisPresence.ts';

/** How long `/ready` waits for Redis to answer. */
const PROBE_TIMEOUT_MS = 1000;

/** Colyseus's own scale-out parts on one Redis: what lets several processes serve the same rooms. */
export type RedisScaleOut = {
  /** Pub/sub between processes: remote room calls, process health checks, readiness pushes. */
  presence: WatchedRedisPresence;
  /** The room listings every process matchmakes from. */
  driver: ExclusiveRedisDriver;
  /** Whether this process's connections to Redis are up (more may be watched, e.g. the rate limits'). */
  health: RedisHealth;
  /** Whether Redis answers, for `/ready`. */
  check(): Promise<{ ok: boolean; reason?: string }>;
};

/**
 * Connects to the Redis in REDIS_URL (failing the start if it does not answer). `mayList`: whether a
 * room of this process may be listed now (see ExclusiveRedisDriver).
 */
export async function connectRedisScaleOut(redisUrl: string, logger: Logger, mayList: (listing: IRoomCache) => boolean): Promise<RedisScaleOut> {
  const health = new RedisHealth(withoutPassword(redisUrl), logger);
  const redis = await connectRedis(redisUrl, health);
  const driver = new ExclusiveRedisDriver(redis, () => matchMaker.processId, mayList);
  const presence = new WatchedRedisPresence(redisUrl, health);
  logger.info({ redis: withoutPassword(redisUrl) }, 'using Redis for presence and matchmaking');
  return {
    presence,
    driver,
    health,
    async check() {
      try {
        await pingWithin(redis, PROBE_TIMEOUT_MS);
        return { ok: true };
      } catch (error) {
        return { ok: false, reason: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
