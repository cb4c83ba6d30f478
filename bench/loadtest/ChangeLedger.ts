import { performance } from 'node:perf_hooks';
import type { GameView, PlayerView } from './GameTransport.ts';
import type { LoadCounters } from './LoadCounters.ts';

/** A change nobody has seen after this long is counted as undelivered to those who missed it. */
const EXPIRY_MS = 15_000;

/** What an observer saw of a sender, as one number: readiness and position (both under 2^15). */
const fingerprintOf = (ready: boolean, x: number, y: number) => (ready ? 1 : 0) + 2 * (x + 1) + 65_536 * (y + 1);
const OUT_OF_SIGHT = -1;

type Change = {
  sender: string;
  sentAt: number;
  /** Whether an observer's view of the sender shows this change. */
  shows(player: PlayerView): boolean;
  /** Observers that have not seen it yet. */
  waiting: Set<string>;
};

/**
 * Change-to-every-other-client latency for one room, whose bots all live in this process so that
 * one clock times both ends. A bot registers each change as it sends it (a readiness toggle, a
 * move); every other bot of the room reports each state it receives, and the first time its view
 * of the sender shows the change, the time since the send is recorded for that (change, observer)
 * pair.
 *
 * A sender has at most one change in flight: it sends the next only once its own state shows the
 * previous one (or the server refused it). So every change is a distinct state of the sender that
 * every observer receives in order, and a toggle back to an earlier value is never mistaken for
 * the earlier change.
 */
export class ChangeLedger {
  readonly #counters: LoadCounters;
  /** Connected bots of the room, by clientId. */
  readonly #members = new Set<string>();
  /** Changes in flight, oldest first, per sender. */
  readonly #changes = new Map<string, Change[]>();
  /** What each observer last saw of each sender (observer → sender → fingerprint). */
  readonly #lastSeen = new Map<string, Map<string, number>>();

  constructor(counters: LoadCounters) {
    this.#counters = counters;
  }

  join(clientId: string): void {
    this.#members.add(clientId);
  }

  /** A bot left or was closed: nobody waits for it to see anything any more. */
  leave(clientId: string): void {
    this.#members.delete(clientId);
    this.#lastSeen.delete(clientId);
    for (const changes of this.#changes.values()) for (const change of changes) change.waiting.delete(clientId);
  }

  /** Registers a change `sender` is sending now, awaited by every other member of the room. */
  sent(sender: string, shows: (player: PlayerView) => boolean): void {
    const waiting = new Set([...this.#members].filter((member) => member !== sender));
    this.#counters.changesSent += 1;
    if (waiting.size === 0) return;
    const changes = this.#changes.get(sender);
    const change = { sender, sentAt: performance.now(), shows, waiting };
    if (changes) changes.push(change);
    else this.#changes.set(sender, [change]);
  }

  /** The server refused the sender's change in flight: nobody will see it. */
  cancel(sender: string): void {
    const changes = this.#changes.get(sender);
    if (!changes?.pop()) return;
    this.#counters.changesCancelled += 1;
    if (changes.length === 0) this.#changes.delete(sender);
  }

  /**
   * An observer received a state: records each change it shows for the first time. Called for every
   * state every bot receives (the load tool's hottest path), so what an observer saw of a sender is
   * kept as a number, without allocating. Every member's state is followed, also while it has nothing
   * in flight (a new round moves players without a change of theirs).
   */
  observe(observer: string, view: GameView): void {
    const now = performance.now();
    let seen = this.#lastSeen.get(observer);
    if (!seen) this.#lastSeen.set(observer, (seen = new Map<string, number>()));
    for (const sender of this.#senders()) {
      if (sender === observer) continue;
      const player = view.players.get(sender);
      if (!player) continue;
      const changes = this.#changes.get(sender);
      // With per-player fog the observer's state holds the sender's position only while it can see
      // the sender: what the sender does meanwhile is not for this observer to see.
      if (player.x === undefined || player.y === undefined) {
        seen.set(sender, OUT_OF_SIGHT);
        if (changes) this.#forget(sender, observer, changes, changes.length);
        continue;
      }
      const fingerprint = fingerprintOf(player.ready, player.x, player.y);
      if (seen.get(sender) === fingerprint) continue;
      seen.set(sender, fingerprint);
      if (!changes) continue;
      // The oldest change this observer still waits for that this state shows: older ones were
      // never shown to it as such (made out of its sight, or overtaken within one patch).
      const index = changes.findIndex((candidate) => candidate.waiting.has(observer) && candidate.shows(player));
      if (index < 0) continue;
      const change = changes[index]!;
      change.waiting.delete(observer);
      this.#counters.changeLatency.record(now - change.sentAt);
      this.#forget(sender, observer, changes, index);
    }
  }

  /** The room's members, then whoever left with a change still awaited (it may yet be seen). */
  *#senders(): Iterable<string> {
    yield* this.#members;
    for (const sender of this.#changes.keys()) if (!this.#members.has(sender)) yield sender;
  }

  /**
   * The observer stops waiting for the first `count` of a sender's changes (counted as unseen states);
   * changes nobody waits for any more are dropped, and a sender with none left is no longer looked at.
   */
  #forget(sender: string, observer: string, changes: Change[], count: number): void {
    for (let index = 0; index < count; index++) {
      if (changes[index]!.waiting.delete(observer)) this.#counters.unseenStates += 1;
    }
    for (let index = changes.length - 1; index >= 0; index--) if (changes[index]!.waiting.size === 0) changes.splice(index, 1);
    if (changes.length === 0) this.#changes.delete(sender);
  }

  /** Drops changes older than the expiry, counting each observer that never saw them. */
  expire(): void {
    const oldest = performance.now() - EXPIRY_MS;
    for (const changes of this.#changes.values()) {
      while (changes[0] && changes[0].sentAt < oldest) this.#counters.undelivered += changes.shift()!.waiting.size;
    }
    for (const [sender, changes] of this.#changes) if (changes.length === 0) this.#changes.delete(sender);
  }
}
