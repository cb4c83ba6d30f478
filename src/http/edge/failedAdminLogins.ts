import type { Request } from 'express';
import type { Options, Store } from 'express-rate-limit';
import { TooManyRequestsError } from '../../domainErrors.ts';
import type { Logger } from '../../logger.ts';
import type { ServerMetrics } from '../../metrics/ServerMetrics.ts';
import { retryAfterSeconds } from './rateLimits.ts';

/** The window failed admin authentications are counted over, per client address. */
export const FAILED_LOGIN_WINDOW_MS = 15 * 60_000;

/**
 * Failed admin authentications per client address, so that guessing the admin password (or the
 * metrics token) is slowed to ADMIN_LOGIN_FAILURES tries per 15 minutes. Only failures count: a
 * success costs nothing, and an admin working from another address is never locked out. Kept in
 * a rate-limit store (rateLimits.ts), so in Redis, shared by every process, when REDIS_URL is set.
 */
export class FailedAdminLogins {
  readonly #store: Store;
  readonly #limit: number;
  readonly #metrics: ServerMetrics;
  readonly #logger: Logger;

  constructor(store: Store, limit: number, metrics: ServerMetrics, logger: Logger) {
    this.#store = store;
    this.#limit = limit;
    this.#metrics = metrics;
    this.#logger = logger;
    void store.init?.({ windowMs: FAILED_LOGIN_WINDOW_MS } as Options);
  }

  /**
   * Seconds until `address` may try again once it has used up its failures, else undefined. Any
   * attempt is refused then, the right password too: otherwise the refusals would still tell a
   * guesser which password is right.
   */
  async lockedOut(address: string): Promise<number | undefined> {
    const counted = await this.#reachStore(() => this.#store.get?.(address));
    // Redis's store answers an address it never counted with NaN hits (its GET of a missing key), memory's with nothing.
    if (counted === undefined || !(counted.totalHits >= this.#limit)) return undefined;
    this.#metrics.adminAuthRefused('locked_out');
    return retryAfterSeconds(counted.resetTime, FAILED_LOGIN_WINDOW_MS);
  }

  /** Counts one wrong credential from `address`; the failure that uses up its tries is logged. */
  async failed(address: string): Promise<void> {
    this.#metrics.adminAuthRefused('wrong_credentials');
    const counted = await this.#reachStore(() => this.#store.increment(address));
    // The store counts atomically (Redis INCR), so one process alone sees the limit reached.
    if (counted?.totalHits === this.#limit) {
      const retryAfter = retryAfterSeconds(counted.resetTime, FAILED_LOGIN_WINDOW_MS);
      this.#logger.warn(
        { address, failures: this.#limit, retryAfterSeconds: retryAfter },
        'admin authentication locked for this address: too many wrong credentials',
      );
    }
  }

  /** Like the rate limits, an unreachable store lets requests through (the credential is still checked). */
  async #reachStore<Answer>(call: () => Promise<Answer> | Answer): Promise<Answer | undefined> {
    try {
      return await call();
    } catch (error) {
      this.#logger.warn({ err: error }, 'rate limit store unreachable: failed admin logins not counted');
      return undefined;
    }
  }
}

/** What an address that used up its failures is told (429), for the right credentials too. */
export function lockedOutError(retryAfterSeconds: number): TooManyRequestsError {
  return new TooManyRequestsError(
    'too_many_failed_logins',
    `Too many wrong admin credentials or tokens from this address: try again in ${retryAfterSeconds} s`,
  );
}

/** The client address failures are counted under: `req.ip`, as TRUST_PROXY says to read it. */
export function addressOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
