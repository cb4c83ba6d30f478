import type { Cluster, Redis } from 'ioredis';
import type { Logger } from '../logger.ts';

/**
 * Whether every connection this process holds to Redis is up, and one log line per change: an
 * outage is a `warn` when the first connection drops and an `info` once all are back. ioredis
 * reports each failed reconnection attempt (several a second per connection), which stays at
 * `debug`: at `warn` an outage flooded the log with stacks.
 */
export class RedisHealth {
  readonly #redis: string;
  readonly #logger: Logger;
  readonly #connections = new Set<Redis | Cluster>();
  #downSince: number | undefined;

  /** `redis`: the address, password hidden, that log lines name. */
  constructor(redis: string, logger: Logger) {
    this.#redis = redis;
    this.#logger = logger;
  }

  /** True while every watched connection is ready: matchmaking can reach the room listings. */
  get up(): boolean {
    return [...this.#connections].every((connection) => connection.status === 'ready');
  }

  /** Tracks a connection once it has answered; its own error listener is this one. */
  watch(connection: Redis | Cluster): void {
    this.#connections.add(connection);
    connection.on('error', (error: Error) => this.#logger.debug({ err: error, redis: this.#redis }, 'redis connection attempt failed'));
    // `reconnecting`, not `close`: a connection closed on purpose (shutdown) does not reconnect.
    connection.on('reconnecting', () => this.#lost());
    connection.on('ready', () => this.#back());
  }

  #lost(): void {
    if (this.#downSince !== undefined) return;
    this.#downSince = Date.now();
    this.#logger.warn({ redis: this.#redis }, `lost the connection to Redis at ${this.#redis}: new joins are refused until it is back`);
  }

  #back(): void {
    if (this.#downSince === undefined || !this.up) return;
    const downForMs = Date.now() - this.#downSince;
    this.#downSince = undefined;
    this.#logger.info({ redis: this.#redis, downForMs }, `connected to Redis again after ${downForMs} ms`);
  }
}
