import { performance } from 'node:perf_hooks';
import type { GameView, PlayerView } from './GameTransport.ts';
import type { LoadCounters } from './LoadCounters.ts';

/** A change nobody has seen after this long is counted as undelivered to those who missed it. */
const EXPIRY_MS = 15_000;

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
  /** What each observer last saw of each sender ("observer sender" → fingerprint). */
  readonly #lastSeen = new Map<string, string>();

  constructor(counters: LoadCounters) {
    this.#counters = counters;
  }

  join(clientId: string): void {
    this.#members.add(clientId);
  }

  /** A bot left or was closed: nobody waits for it to see anything any more. */
  leave(clientId: string): void {
    this.#members.delete(clientId);
    for (const changes of this.#changes.values()) for (const change of changes) change.waiting.delete(clientId);
  }

  /** Registers a change `sender` is sending now, awaited by every other member of the room. */
  sent(sender: string, shows: (player: PlayerView) => boolean): void {
    const waiting = new Set([...this.#members].filter((member) => member !== sender));
    this.#counters.changesSent += 1;
    if (waiting.size === 0) return;
    const changes = this.#changes.get(sender) ?? [];
    changes.push({ sender, sentAt: performance.now(), shows, waiting });
    this.#changes.set(sender, changes);
  }

  /** The server refused the sender's change in flight: nobody will see it. */
  cancel(sender: string): void {
    if (this.#changes.get(sender)?.pop()) this.#counters.changesCancelled += 1;
  }

  /** An observer received a state: records each change it shows for the first time. */
  observe(observer: string, view: GameView): void {
    const now = performance.now();
    for (const [sender, changes] of this.#changes) {
      if (sender === observer) continue;
      const player = view.players.get(sender);
      if (!player) continue;
      const key = `${observer} ${sender}`;
      // With per-player fog the observer's state holds the sender's position only while it can see
      // the sender: what the sender does meanwhile is not for this observer to see.
      if (player.x === undefined) {
        this.#lastSeen.set(key, 'out of sight');
        this.#forget(observer, changes, changes.length);
        continue;
      }
      const fingerprint = `${player.ready} ${player.x} ${player.y}`;
      if (this.#lastSeen.get(key) === fingerprint) continue;
      this.#lastSeen.set(key, fingerprint);
      // The oldest change this observer still waits for that this state shows: older ones were
      // never shown to it as such (made out of its sight, or overtaken within one patch).
      const index = changes.findIndex((candidate) => candidate.waiting.has(observer) && candidate.shows(player));
      if (index < 0) continue;
      const change = changes[index]!;
      this.#forget(observer, changes, index);
      change.waiting.delete(observer);
      this.#counters.changeLatency.record(now - change.sentAt);
      if (change.waiting.size === 0) changes.splice(changes.indexOf(change), 1);
    }
  }

  /** The observer stops waiting for the first `count` of a sender's changes: counted as unseen states. */
  #forget(observer: string, changes: Change[], count: number): void {
    for (const change of changes.slice(0, count)) {
      if (change.waiting.delete(observer)) this.#counters.unseenStates += 1;
    }
    for (let index = changes.length - 1; index >= 0; index--) if (changes[index]!.waiting.size === 0) changes.splice(index, 1);
  }

  /** Drops changes older than the expiry, counting each observer that never saw them. */
  expire(): void {
    const oldest = performance.now() - EXPIRY_MS;
    for (const changes of this.#changes.values()) {
      while (changes[0] && changes[0].sentAt < oldest) this.#counters.undelivered += changes.shift()!.waiting.size;
    }
  }
}
