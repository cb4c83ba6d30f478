// Upstream workaround (see docs/architecture.md#upstream-workarounds).
// Package: @colyseus/redis-presence 0.18.5.
// Behaviour: its error listeners log a `warn` line for every failed reconnection attempt of each of its
// two connections (several a second through a Redis outage).
// Upstream issue: none filed.
// Obsolescence test: tests/upstream/redisPresence.test.ts fails once upstream no longer behaves so; then this file may go.
import { RedisPresence } from '@colyseus/redis-presence';
import type { Cluster, Redis } from 'ioredis';

/**
 * @colyseus/redis-presence 0.18 whose two connections (publish, subscribe) are watched by our
 * `RedisHealth` (src/cluster/RedisHealth.ts). Its own error listeners log a `warn` for every failed reconnection attempt of each
 * connection; they are replaced by the health's, which logs the outage once.
 * Colyseus's matchmaker subscribes every join waiting for a room being created (concurrent quick plays
 * of one kind) to one channel: twenty at once are expected, so Node's listener-leak warning at eleven is off.
 */
export class WatchedRedisPresence extends RedisPresence {
  constructor(url: string, health: { watch(connection: Redis | Cluster): void }) {
    super(url);
    this.setMaxListeners(0);
    for (const connection of [this.pub, this.sub]) {
      connection.removeAllListeners('error');
      health.watch(connection);
    }
  }
}
