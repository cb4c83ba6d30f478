import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';

/** How long the start waits for Redis before giving up with a clear error. */
const CONNECT_TIMEOUT_MS = 5000;

/**
 * Opens a Redis connection and proves that Redis answers. Without this, a wrong REDIS_URL gives a
 * server that never becomes ready while its client retries in the background; with it the start
 * stops with the address that failed (password hidden) and the reason.
 */
export async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS });
  // Without a listener ioredis prints "Unhandled error event" for every failed reconnection.
  client.on('error', (error: Error) => logger.warn({ err: error, redis: withoutPassword(url) }, 'redis connection error'));
  try {
    await withTimeout(client.connect().then(() => client.ping()), CONNECT_TIMEOUT_MS);
  } catch (error) {
    client.disconnect();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot reach Redis at ${withoutPassword(url)} (REDIS_URL): ${reason}`);
  }
  return client;
}

/** Rejects when `promise` has not settled within `ms`; for probes that must answer quickly. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
