import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { MemoryStore, rateLimit, type Options, type Store } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Config } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import { errorBody } from '../plumbing/errorResponses.ts';

const WINDOW_MS = 60_000;

/** The kinds of HTTP request with a limit: one count per kind, whichever API is called. */
export type RateLimitedKind = 'sessionCreates' | 'previews' | 'joins';

export type RateLimits = Record<RateLimitedKind, RequestHandler> & {
  /**
   * Room joins: counted when a room socket opens (Colyseus answers its matchmaking before Express,
   * and without the client's address). Resolves to the seconds to wait, or undefined when allowed.
   */
  socketJoin(address: string): Promise<number | undefined>;
};

/**
 * The HTTP rate limits (express-rate-limit), in Redis when several processes share it (so a limit
 * holds across processes), else in this process's memory. When Redis cannot be reached the limits
 * let requests through rather than refuse everyone (logged as a warning). Each kind's middleware
 * counts per client address (`req.ip`, see TRUST_PROXY); the route tables say which routes it guards.
 */
export function createRateLimits(limits: Config['rateLimits'], redis: Redis | undefined, logger: Logger): RateLimits {
  const limiter = (kind: string, limit: number, what: string): RequestHandler =>
    rateLimit({
      windowMs: WINDOW_MS,
      limit,
      store: rateLimitStore(kind, redis),
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      passOnStoreError: true,
      handler: (req, res, _next, options: Options) => {
        const resetTime = (req as IncomingMessage & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
        res.setHeader('Retry-After', String(retryAfterSeconds(resetTime)));
        logger.warn({ address: req.ip, path: req.path, limit: options.limit }, 'rate limited');
        res.status(429).json(errorBody('rate_limited', `Too many ${what} from this address: at most ${limit} a minute`));
      },
    });

  const socketJoins = rateLimitStore('socket-joins', redis);
  void socketJoins.init?.({ windowMs: WINDOW_MS } as Options);
  return {
    sessionCreates: limiter('session-creates', limits.sessionCreatesPerMinute, 'sessions created'),
    previews: limiter('previews', limits.previewsPerMinute, 'previews'),
    joins: limiter('joins', limits.joinsPerMinute, 'joins'),
    async socketJoin(address) {
      try {
        const { totalHits, resetTime } = await socketJoins.increment(address);
        return totalHits > limits.joinsPerMinute ? retryAfterSeconds(resetTime) : undefined;
      } catch (error) {
        logger.warn({ err: error }, 'rate limit store unreachable: room join let through');
        return undefined;
      }
    },
  };
}

/**
 * Where the counts of one kind live: in Redis when several processes share it (keys
 * `labyrinth:rate:<kind>:<address>`), else in this process's memory. Its window is set by `init`.
 */
export function rateLimitStore(kind: string, redis: Redis | undefined): Store {
  return redis
    ? new RedisStore({
        prefix: `labyrinth:rate:${kind}:`,
        sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
      })
    : new MemoryStore();
}

/** Whole seconds until `resetTime` (at least 1), or the window's length when the store did not say. */
export function retryAfterSeconds(resetTime: Date | undefined, windowMs = WINDOW_MS): number {
  return resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : windowMs / 1000;
}
