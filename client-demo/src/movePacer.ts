import type { Direction } from '../../src/maze/directions.ts';

/**
 * Slack over the room's cooldown: the room times moves as they arrive, and the network may bring
 * two of them closer together than they were sent.
 */
const NETWORK_SLACK_MS = 25;

/**
 * Sends moves no faster than the room's `moveCooldownMs` (from the `whoami` answer): a move asked
 * for sooner waits for its turn, the latest one winning, so a held key or a quick double tap walks
 * at the room's pace instead of earning `too_fast` refusals (or, past 20 a second, a closed socket).
 */
export class MovePacer {
  readonly #send: (direction: Direction) => void;
  readonly #cooldownMs: () => number;
  #nextAt = 0;
  #waiting: Direction | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `send` sends one move now; `cooldownMs` is the room's current cooldown. */
  constructor(send: (direction: Direction) => void, cooldownMs: () => number) {
    this.#send = send;
    this.#cooldownMs = cooldownMs;
  }

  move(direction: Direction): void {
    const wait = this.#nextAt - performance.now();
    if (wait <= 0) {
      this.#sendNow(direction);
      return;
    }
    this.#waiting = direction;
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      const waiting = this.#waiting;
      this.#waiting = undefined;
      if (waiting) this.#sendNow(waiting);
    }, wait);
  }

  /** Forgets a move still waiting (the room was left). */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#waiting = undefined;
  }

  #sendNow(direction: Direction): void {
    const cooldownMs = this.#cooldownMs();
    this.#nextAt = cooldownMs > 0 ? performance.now() + cooldownMs + NETWORK_SLACK_MS : 0;
    this.#send(direction);
  }
}
