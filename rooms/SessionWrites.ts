import type { RoundEvent } from '../src/game/roundEvents.ts';
import type { Logger } from '../src/logger.ts';
import { RoundStore, type RoundRef } from '../src/sessions/RoundStore.ts';
import type { SessionService } from '../src/sessions/SessionService.ts';
import type { SeatedPlayer } from '../src/sessions/sessionViews.ts';

/**
 * One room's database writes, chained so that they land in the order the state changed (a seat is
 * never freed before it was taken, a result never overtaken by an older position).
 */
export class SessionWrites {
  readonly #sessionId: string;
  readonly #sessions: SessionService;
  readonly #store: RoundStore;
  readonly #logger: Logger;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(sessionId: string, services: { sessions: SessionService; store: RoundStore; logger: Logger }) {
    this.#sessionId = sessionId;
    this.#sessions = services.sessions;
    this.#store = services.store;
    this.#logger = services.logger;
  }

  /** Seats a client durably (a join is confirmed only once its seat is written). */
  seat(clientId: string, name: string): Promise<SeatedPlayer> {
    return this.#enqueue(() => this.#sessions.seatClient({ sessionId: this.#sessionId, clientId, name }));
  }

  /** Frees a seat the database holds; false when it held none. */
  unseat(clientId: string): Promise<boolean> {
    return this.#enqueue(() => this.#store.unseat(this.#sessionId, clientId));
  }

  /** Writes the rows `events` imply; resolves once they are written (rejects, logged, if they could not be). */
  record(ref: Omit<RoundRef, 'sessionId'>, events: readonly RoundEvent[]): Promise<void> {
    if (!RoundStore.writesAny(events)) return Promise.resolve();
    return this.#enqueue(() => this.#store.write({ sessionId: this.#sessionId, ...ref }, events));
  }

  /** Settles once every write queued so far has landed or failed. */
  async settled(): Promise<void> {
    await this.#tail;
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.catch((error: unknown) => {
      this.#logger.error({ err: error, sessionId: this.#sessionId }, 'session write failed');
    });
    return result;
  }
}
