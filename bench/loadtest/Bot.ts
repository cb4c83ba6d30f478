import { performance } from 'node:perf_hooks';
import type { ChangeLedger } from './ChangeLedger.ts';
import type { BotMessage, ConnectionEvents, GameConnection, GameView, PlayerView } from './GameTransport.ts';
import { LoadCounters } from './LoadCounters.ts';

/** A sent message whose effect the bot waits to see in its own state before it acts again. */
type InFlight = { shows(player: PlayerView): boolean; measured: boolean; since: number };

/** A message the server neither applied nor refused after this long is given up on. */
const IN_FLIGHT_GIVE_UP_MS = 10_000;

export type BotSettings = {
  clientId: string;
  /** Position in its room, from 0; room 0 has duties (the lobby's never-ready player, new rounds). */
  seat: number;
  /** Milliseconds between two of the bot's actions (a readiness toggle, a move). */
  intervalMs: number;
  counters: LoadCounters;
  ledger: ChangeLedger;
};

/**
 * One simulated player on one connection. It acts on a timer and never has more than one change in
 * flight: it waits to see its change in its own state (or a refusal) before the next, as a person
 * watching the screen would, which also keeps the latency measurement unambiguous (ChangeLedger).
 * Subclasses decide what to do on each tick.
 */
export abstract class Bot {
  readonly clientId: string;
  protected readonly seat: number;
  protected readonly counters: LoadCounters;
  readonly #ledger: ChangeLedger;
  protected readonly intervalMs: number;
  #connection: GameConnection | undefined;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: InFlight | undefined;
  #leaving = false;
  #closed = false;

  constructor(settings: BotSettings) {
    this.clientId = settings.clientId;
    this.seat = settings.seat;
    this.counters = settings.counters;
    this.#ledger = settings.ledger;
    this.intervalMs = settings.intervalMs;
  }

  /** What the transport reports to this bot. */
  readonly events: ConnectionEvents = {
    stateChanged: (view) => {
      this.#ledger.observe(this.clientId, view);
      const me = view.players.get(this.clientId);
      if (this.#inFlight && me && this.#inFlight.shows(me)) this.#inFlight = undefined;
      this.onState(view);
    },
    refused: (code) => {
      LoadCounters.count(this.counters.refusals, code);
      if (code.startsWith('chat_') || !this.#inFlight) return;
      if (this.#inFlight.measured) this.#ledger.cancel(this.clientId);
      this.#inFlight = undefined;
    },
    received: () => {
      this.counters.messagesReceived += 1;
    },
    bytesReceived: (count) => {
      this.counters.bytesReceived += count;
    },
    dropped: () => {
      this.counters.drops += 1;
    },
    reconnected: () => {
      this.counters.reconnects += 1;
    },
    closed: (code) => {
      this.#closed = true;
      this.#stopActing();
      if (this.#leaving) return;
      LoadCounters.count(this.counters.closes, code);
    },
  };

  /** Joined: the bot observes from now on, and acts once `act` is called. */
  attach(connection: GameConnection): void {
    this.#connection = connection;
    this.#ledger.join(this.clientId);
  }

  /** Starts acting, at a random offset so that a room's bots do not act in step. */
  act(): void {
    if (!this.#connection || this.#timer || this.#leaving || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = setInterval(() => this.#tick(), this.intervalMs);
      this.#tick();
    }, Math.random() * this.intervalMs);
  }

  async leave(): Promise<void> {
    this.#leaving = true;
    this.#stopActing();
    await this.#connection?.leave();
  }

  /** Called on every state the bot receives, after latency bookkeeping. */
  protected onState(_view: GameView): void {}

  /** One action, if any, given the current state; the bot has nothing in flight. */
  protected abstract tick(view: GameView, me: PlayerView): void;

  /** Sends a change others will see, timed from now until each other bot of the room sees it. */
  protected sendChange(message: BotMessage, shows: (player: PlayerView) => boolean): void {
    this.#ledger.sent(this.clientId, shows);
    this.#inFlight = { shows, measured: true, since: performance.now() };
    this.send(message);
  }

  /** Sends a message that the bot waits for (`shows`) but that is not timed. */
  protected sendAndWait(message: BotMessage, shows: (player: PlayerView) => boolean): void {
    this.#inFlight = { shows, measured: false, since: performance.now() };
    this.send(message);
  }

  protected send(message: BotMessage): void {
    this.counters.messagesSent += 1;
    this.#connection?.send(message);
  }

  #tick(): void {
    const view = this.#connection?.view();
    const me = view?.players.get(this.clientId);
    if (!view || !me) return;
    if (this.#inFlight && performance.now() - this.#inFlight.since > IN_FLIGHT_GIVE_UP_MS) this.#inFlight = undefined;
    if (this.#inFlight) return;
    this.tick(view, me);
  }

  #stopActing(): void {
    clearTimeout(this.#timer);
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#connection) this.#ledger.leave(this.clientId);
  }
}
