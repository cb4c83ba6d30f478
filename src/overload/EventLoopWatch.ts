import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Logger } from '../logger.ts';

/** How often the loop is probed. */
const PROBE_MS = 20;
/** The window over which the loop's delay decides whether the process is overloaded. */
const WINDOW_MS = 2000;
/** At most one "lagging" warning per this period (with a count of the stalls since the last one). */
const WARN_EVERY_MS = 5000;

/**
 * Watches how late this process's event loop runs, for two uses:
 *
 * - `lateness()`: how long messages handled now may have waited for the loop. Rate limits judge the
 *   client with it, so a server catching up never refuses or evicts clients that stayed within
 *   their limits (TokenBuckets' `lateMs`).
 * - `overloaded`: the loop's delay (p99 over the last window) is past the threshold. The server then
 *   refuses new joins and reports it on `/ready`, before the players already in suffer more, and
 *   says so in the log; it recovers once a window's p99 is under half the threshold.
 */
export class EventLoopWatch {
  readonly #thresholdMs: number;
  readonly #logger: Logger;
  readonly #delays = monitorEventLoopDelay({ resolution: 10 });
  #timer: NodeJS.Timeout | undefined;
  #lastProbe = performance.now();
  #windowStart = performance.now();
  /** The stall the last probe saw, while the loop is still in the turn that follows it; 0 after. */
  #stallMs = 0;
  #overloaded = false;
  #lastP99Ms = 0;
  #stallsSinceWarning = 0;
  #lastWarning = -Infinity;

  constructor(options: { thresholdMs: number; logger: Logger }) {
    this.#thresholdMs = options.thresholdMs;
    this.#logger = options.logger;
  }

  start(): this {
    this.#delays.enable();
    this.#lastProbe = this.#windowStart = performance.now();
    this.#timer = setInterval(() => this.#probe(), PROBE_MS);
    this.#timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#delays.disable();
  }

  /**
   * How long a message handled now may have waited for the loop (ms): the stall just before this
   * turn of the loop (what it reads now queued up during it), or how long this turn has been
   * blocked so far. A message handled in a later turn did not wait through the stall, and is
   * judged without it.
   */
  lateness(now = performance.now()): number {
    return Math.max(0, this.#stallMs, now - this.#lastProbe - PROBE_MS);
  }

  /** True while the loop's delay is past the threshold: new joins are refused. */
  get overloaded(): boolean {
    return this.#overloaded;
  }

  /** Why the process counts as overloaded, for `/ready` and join refusals. */
  get reason(): string {
    return `event loop delay p99 ${Math.round(this.#lastP99Ms)} ms over the last ${WINDOW_MS / 1000} s (limit ${this.#thresholdMs} ms)`;
  }

  #probe(): void {
    const now = performance.now();
    const lateMs = now - this.#lastProbe - PROBE_MS;
    this.#lastProbe = now;
    if (lateMs > 0) {
      // Timers run before the loop reads its sockets, so the messages that queued up during the
      // stall are handled in this same turn; the check phase ends it.
      this.#stallMs = lateMs;
      setImmediate(() => (this.#stallMs = 0));
    }
    if (lateMs > this.#thresholdMs) this.#warnOfStall(lateMs, now);
    if (now - this.#windowStart >= WINDOW_MS) this.#closeWindow(now);
  }

  #warnOfStall(lateMs: number, now: number): void {
    this.#stallsSinceWarning += 1;
    if (now - this.#lastWarning < WARN_EVERY_MS) return;
    this.#logger.warn({ lateMs: Math.round(lateMs), stalls: this.#stallsSinceWarning, thresholdMs: this.#thresholdMs }, 'event loop lagging');
    this.#lastWarning = now;
    this.#stallsSinceWarning = 0;
  }

  #closeWindow(now: number): void {
    this.#lastP99Ms = this.#delays.percentile(99) / 1e6;
    this.#delays.reset();
    this.#windowStart = now;
    if (!this.#overloaded && this.#lastP99Ms > this.#thresholdMs) {
      this.#overloaded = true;
      this.#logger.warn(
        { p99Ms: Math.round(this.#lastP99Ms), thresholdMs: this.#thresholdMs },
        'overloaded: refusing new joins until the event loop catches up',
      );
    } else if (this.#overloaded && this.#lastP99Ms < this.#thresholdMs / 2) {
      this.#overloaded = false;
      this.#logger.warn({ p99Ms: Math.round(this.#lastP99Ms) }, 'no longer overloaded: taking new joins again');
    }
  }
}
