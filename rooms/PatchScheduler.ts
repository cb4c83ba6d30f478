import { performance } from 'node:perf_hooks';
import type { Room } from '@colyseus/core';

/**
 * How often the room's clock ticks, and so how late a timer on it may fire (the countdown, the bots'
 * steps, a seat claim's release). 50 ms, as when each patch ticked it on Colyseus's 50 ms patch
 * interval: the countdown and the bots keep their timing, and an idle room wakes 20 times a second
 * instead of the 60 of Colyseus's own clock tick.
 */
const ROOM_CLOCK_TICK_MS = 50;

/**
 * When a room sends its state's changes: right after the event-loop turn that made them (whatever
 * made them there: messages, bots, timers, HTTP-bridge calls), one patch for all of them, and never
 * sooner than `minIntervalMs` after the room's previous patch. An idle room answers at once; a busy
 * one batches what arrives while it waits, and spends fewer frames on it. Schema sends only the
 * latest value of each field, so batching loses nothing.
 *
 * Every change to the state is followed by `request()` (RoundEffects.apply), and so is every message
 * sent with `afterNextPatch`: Colyseus sends those right after the next patch, and there is none
 * until something asks for it. A turn that changed nothing sends nothing. Colyseus's own guarantees
 * hold as they did on its fixed interval, since `broadcastPatch()` is what that interval called: a
 * joining client gets the full state, pending changes included; each StateView is encoded once per
 * patch and shared by the clients that hold it; `afterNextPatch` messages follow the patch.
 */
export class PatchScheduler {
  readonly #room: Pick<Room, 'broadcastPatch'>;
  readonly #minIntervalMs: number;
  #lastPatchAt = -Infinity;
  /** The patch asked for: after this turn, or once the spacing allows (one of the two at most). */
  #afterTurn: NodeJS.Immediate | undefined;
  #afterSpacing: NodeJS.Timeout | undefined;
  /** Writes the state shows something of, not yet done (see `holdUntil`). */
  #holds = 0;
  /** A patch was asked for while held. */
  #heldBack = false;

  /**
   * Takes over when `room` patches: Colyseus's fixed patch interval stops. Without one, Colyseus
   * would tick the room's clock on an interval of its own every 16.6 ms; the room's timers get a
   * clock of `ROOM_CLOCK_TICK_MS` instead (a timestep with nothing to simulate).
   */
  static takeOver(room: Room, minIntervalMs: number): PatchScheduler {
    room.setTimestep(() => undefined, ROOM_CLOCK_TICK_MS);
    // After the timestep: with neither, Colyseus would start its own 16.6 ms clock tick.
    room.patchRate = null;
    return new PatchScheduler(room, minIntervalMs);
  }

  constructor(room: Pick<Room, 'broadcastPatch'>, minIntervalMs: number) {
    this.#room = room;
    this.#minIntervalMs = minIntervalMs;
  }

  /** Something changed, or waits for the next patch: patch after this turn, or once the spacing allows. */
  request(): void {
    if (this.#holds > 0) {
      this.#heldBack = true;
      return;
    }
    if (this.#afterTurn || this.#afterSpacing) return;
    const waitMs = this.#lastPatchAt + this.#minIntervalMs - performance.now();
    if (waitMs > 0) this.#afterSpacing = setTimeout(this.#patch, waitMs);
    else this.#afterTurn = setImmediate(this.#patch);
  }

  /**
   * Sends nothing until `written` settles: the state now shows what clients may see only once it is
   * durable (a kill -9 must never lose a round's result a player saw). Then the patch follows. While
   * the database is away the room shows nothing new until the write lands (the writer retries).
   */
  holdUntil(written: Promise<unknown>): void {
    this.#holds += 1;
    this.#heldBack = true;
    const release = () => {
      this.#holds -= 1;
      if (this.#holds > 0 || !this.#heldBack) return;
      this.#heldBack = false;
      this.request();
    };
    written.then(release, release);
  }

  /** The room is gone: a patch asked for is not sent. */
  stop(): void {
    clearImmediate(this.#afterTurn);
    clearTimeout(this.#afterSpacing);
    this.#afterTurn = this.#afterSpacing = undefined;
  }

  readonly #patch = (): void => {
    this.#afterTurn = this.#afterSpacing = undefined;
    // Asked for before a hold began: it waits for the hold too.
    if (this.#holds > 0) {
      this.#heldBack = true;
      return;
    }
    this.#lastPatchAt = performance.now();
    this.#room.broadcastPatch();
  };
}
