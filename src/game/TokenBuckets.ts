/**
 * Per-key rate limits: each key may spend `capacity` actions at once, and regains one every
 * `refillMs`. Capacity 1 is a plain cooldown (the move limit); more allows short bursts (chat,
 * socket messages). The caller passes the time, so the rule stays pure and testable.
 *
 * Kept as the time each key's next action is due (the generic cell rate algorithm, which behaves
 * exactly like a token bucket). `lateMs` is how late the caller handles the action: a server
 * catching up after a stall handles in one burst what a client sent over the whole stall, so the
 * actions are judged as if they had arrived up to `lateMs` earlier. A client within its limit is
 * never refused for the server's lateness; one over it still is, having gained at most what it
 * could have sent meanwhile.
 */
export class TokenBuckets {
  readonly #refillMs: number;
  /** How far ahead of now a key's due time may run: the burst beyond the first action. */
  readonly #burstMs: number;
  readonly #due = new Map<string, number>();

  constructor(options: { capacity: number; refillMs: number }) {
    this.#refillMs = options.refillMs;
    this.#burstMs = (options.capacity - 1) * options.refillMs;
  }

  /** Spends one action for `key` at time `now` (ms); false when none is left (and nothing is spent). */
  take(key: string, now: number, lateMs = 0): boolean {
    if (this.#refillMs <= 0) return true;
    const due = this.#due.get(key) ?? -Infinity;
    if (due - this.#burstMs > now) return false;
    this.#due.set(key, Math.max(due, now - lateMs) + this.#refillMs);
    return true;
  }

  forget(key: string): void {
    this.#due.delete(key);
  }
}
