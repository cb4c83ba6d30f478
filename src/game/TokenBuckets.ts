/**
 * Per-key rate limits: each key may spend `capacity` actions at once, and regains one every
 * `refillMs`. Capacity 1 is a plain cooldown (the move limit); more allows short bursts (chat).
 * The caller passes the time, so the rule stays pure and testable.
 */
export class TokenBuckets {
  readonly #capacity: number;
  readonly #refillMs: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(options: { capacity: number; refillMs: number }) {
    this.#capacity = options.capacity;
    this.#refillMs = options.refillMs;
  }

  /** Spends one token for `key` at time `now` (ms); false when none is left. */
  take(key: string, now: number): boolean {
    if (this.#refillMs <= 0) return true;
    const bucket = this.#buckets.get(key) ?? { tokens: this.#capacity, at: now };
    const tokens = Math.min(this.#capacity, bucket.tokens + (now - bucket.at) / this.#refillMs);
    if (tokens < 1) {
      this.#buckets.set(key, { tokens, at: now });
      return false;
    }
    this.#buckets.set(key, { tokens: tokens - 1, at: now });
    return true;
  }

  forget(key: string): void {
    this.#buckets.delete(key);
  }
}
