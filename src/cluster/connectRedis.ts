import { Redis } from 'ioredis';
import { StartupFailure } from '../startupFailure.ts';
import type { RedisHealth } from './RedisHealth.ts';

/** How long the start waits for Redis before giving up with a clear error. */
const CONNECT_TIMEOUT_MS = 5000;

/**
 * Opens a Redis connection and proves that Redis answers. Without this, a wrong REDIS_URL gives a
 * server that never becomes ready while its client retries in the background; with it the start
 * stops with the address that failed (password hidden) and the reason. Once it has answered, the
 * connection is watched by `health`.
 */
export async function connectRedis(url: string, health: RedisHealth): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS });
  // Without a listener ioredis prints "Unhandled error event" for every failed attempt. Before the
  // first answer the failure is the start's own, reported once in its line.
  let connectionError: Error | undefined;
  const startError = (error: Error) => (connectionError = error);
  client.on('error', startError);
  try {
    await client.connect();
    await pingWithin(client, CONNECT_TIMEOUT_MS);
  } catch (error) {
    client.disconnect();
    // The socket's own error (ECONNREFUSED, a DNS failure) says more than "Connection is closed".
    const reason = connectionError?.message ?? (error instanceof Error ? error.message : String(error));
    throw new StartupFailure(`cannot reach Redis at ${withoutPassword(url)} (${reason}): check REDIS_URL, and that Redis runs there`, { cause: error });
  }
  client.off('error', startError);
  health.watch(client);
  return client;
}

/**
 * Resolves when Redis answers a PING within `ms`, rejects otherwise. ioredis queues commands while it
 * reconnects, so a PING alone would wait as long as Redis stays away.
 */
export async function pingWithin(redis: Redis, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([redis.ping(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A Redis URL fit for logs and error messages. */
export function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
