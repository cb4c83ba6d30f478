import { CloseCode, type Deferred, type Room } from '@colyseus/core';
import type { RoundEvent } from '../src/game/roundEvents.ts';
import type { SessionRound } from '../src/game/SessionRound.ts';
import type { Logger } from '../src/logger.ts';
import { toLogEntries } from '../src/game/roundLog.ts';
import type { RoundWriter } from '../src/sessions/RoundWriter.ts';
import type { Config } from '../src/config.ts';
import { removalClose, SEAT_TAKEN_OVER_CLOSE_CODE } from './closeCodes.ts';
import type { LabyrinthClient, ServerMessages } from './labyrinthProtocol.ts';
import type { PatchScheduler } from './PatchScheduler.ts';
import { readinessChannel } from './readinessChannel.ts';
import { RoomBots } from './RoomBots.ts';
import { listingOf, type LabyrinthRoomMetadata, type SessionAccess } from './roomListing.ts';
import type { LabyrinthState } from './schema/LabyrinthState.ts';
import type { RoundViews } from './schema/RoundViews.ts';
import { showRoundEvent, showRoundFields } from './schema/showRound.ts';

/** The parts of its room that carrying out events uses. */
type RoomPorts = Pick<
  Room<{ state: LabyrinthState; client: LabyrinthClient; metadata: LabyrinthRoomMetadata }>,
  'clients' | 'clock' | 'presence' | 'setMetadata' | 'state'
> & {
  broadcast<Type extends keyof ServerMessages>(type: Type, message: ServerMessages[Type], options?: { afterNextPatch?: boolean }): void;
};

/** How soon a countdown that ended while the room could not act tries again. */
const COUNTDOWN_RETRY_MS = 100;

/** Events that change who is seated, connected or ready: `/ws/{id}` hears of them. */
const LOBBY_EVENTS = new Set<RoundEvent['type']>([
  'player_joined',
  'player_left',
  'player_kicked',
  'player_dropped',
  'player_reconnected',
  'ready_changed',
  'new_round',
]);
/** And the phase: what the matchmaker's listing shows (quick play seats only in the lobby). */
const LISTED_EVENTS = new Set<RoundEvent['type']>([...LOBBY_EVENTS, 'countdown_started', 'countdown_cancelled', 'round_started', 'round_finished']);

/**
 * Carries out what a round's events ask of its room: the synced state, the database rows (in
 * order), sockets to close, reconnection windows to end, the countdown timer, the bots' play, chat
 * broadcasts, and what the matchmaker and the old push channel are told.
 */
export class RoundEffects {
  readonly #room: RoomPorts;
  readonly #round: SessionRound;
  readonly #writer: RoundWriter;
  readonly #views: RoundViews;
  readonly #patches: PatchScheduler;
  readonly #logger: Logger;
  readonly #access: SessionAccess;
  /** The listing's last write: a refused reservation waits for it (see SeatAdmission). */
  #listed: Promise<void> = Promise.resolve();
  /** The last audit trail entry's number. */
  #seq: number;
  /** Dropped players' reconnection windows, by clientId. */
  readonly #reconnections = new Map<string, Deferred<LabyrinthClient>>();
  #countdown: { clear(): void } | undefined;
  readonly #bots: RoomBots;
  /** The epoch the room holds its session with: every row it writes carries it (see RoundWriter). */
  readonly #epoch: number;
  /** Whether the room may act now (it owns its session): a timer that fires while it may not waits. */
  readonly #mayAct: () => boolean;

  constructor(
    room: RoomPorts,
    round: SessionRound,
    services: {
      writer: RoundWriter;
      views: RoundViews;
      patches: PatchScheduler;
      logger: Logger;
      lastSeq: number;
      access: SessionAccess;
      settings: Pick<Config['room'], 'botStepMs' | 'moveCooldownMs'>;
      epoch: number;
      mayAct: () => boolean;
    },
  ) {
    this.#room = room;
    this.#round = round;
    this.#writer = services.writer;
    this.#views = services.views;
    this.#patches = services.patches;
    this.#logger = services.logger;
    this.#seq = services.lastSeq;
    this.#access = services.access;
    this.#epoch = services.epoch;
    this.#mayAct = services.mayAct;
    this.#bots = new RoomBots(room.clock, round, (events, at) => this.applyWithoutWaiting(events, at), services);
  }

  /** The room no longer owns its session: no timer acts any more (the countdown, the bots). */
  stop(): void {
    this.#countdown?.clear();
    this.#bots.stop();
  }

  /** Carries out what follows from the facts the room was rebuilt from: a countdown, or the bots' play in a round under way. */
  resume(now: number): void {
    this.applyWithoutWaiting(this.#round.resume(now), now);
    if (this.#round.phase === 'playing') this.#bots.start();
  }

  /** Carries out `events` (which happened at `at`, epoch ms); resolves once their rows and audit trail entries are written. */
  apply(events: RoundEvent[], at = Date.now()): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    for (const event of events) {
      showRoundEvent(this.#room.state, this.#round, event);
      this.#carryOut(event);
    }
    showRoundFields(this.#room.state, this.#round);
    this.#views.update(events);
    if (events.some((event) => LOBBY_EVENTS.has(event.type))) this.publish();
    else if (events.some((event) => LISTED_EVENTS.has(event.type))) void this.list();
    const log = toLogEntries(events, this.#seq + 1, at);
    this.#seq += log.length;
    const written = this.#writer.record({ sessionId: this.#round.sessionId, labyrinthId: this.#round.labyrinthId, epoch: this.#epoch }, events, log);
    // A round's result reaches the clients once written (the writer writes it at once): a kill -9
    // never loses a result a player saw.
    if (events.some((event) => event.type === 'round_finished')) this.#patches.holdUntil(written);
    else this.#patches.request();
    return written;
  }

  /**
   * `apply` for callers that cannot wait (lifecycle hooks, timers): everything but the rows is
   * carried out before it returns, and the rows follow in their batch (the writer retries a failed
   * write on its own).
   */
  applyWithoutWaiting(events: RoundEvent[], at?: number): void {
    this.apply(events, at).catch(() => undefined);
  }

  /** A dropped player's reconnection window, ended early if the seat is taken over or freed. */
  holdReconnection(clientId: string, reconnection: Deferred<LabyrinthClient>): void {
    this.#reconnections.set(clientId, reconnection);
  }

  /** Tells the matchmaker (the listing) and old-API listeners (readiness on presence). */
  publish(): void {
    void this.list();
    this.#room.presence.publish(readinessChannel(this.#round.sessionId), this.#round.readiness());
  }

  /**
   * Updates the matchmaker's listing (see LabyrinthRoomMetadata); resolves once it is written. The
   * session id stays in it: the matchmaker finds a session's room by it (filterBy), and without it
   * every join would build a duplicate room only to discard it.
   */
  list(): Promise<void> {
    this.#listed = this.#room
      .setMetadata(listingOf(this.#round, this.#access))
      .catch((error: unknown) => this.#logger.warn({ err: error }, 'room metadata not updated'));
    return this.#listed;
  }

  /** The listing's last write, done. */
  listed(): Promise<void> {
    return this.#listed;
  }

  #carryOut(event: RoundEvent): void {
    switch (event.type) {
      case 'seat_taken_over':
        this.#endReconnection(event.clientId, 'seat taken over');
        this.#room.clients.getById(event.connectionId)?.leave(SEAT_TAKEN_OVER_CLOSE_CODE, 'This seat was taken over by a newer connection');
        return;
      case 'player_reconnected':
        this.#reconnections.delete(event.clientId);
        return;
      case 'player_left':
        this.#endReconnection(event.clientId, 'left');
        if (event.closeConnectionId) this.#room.clients.getById(event.closeConnectionId)?.leave(CloseCode.CONSENTED, 'Left over HTTP');
        return;
      case 'player_kicked': {
        this.#endReconnection(event.clientId, event.banned ? 'banned' : 'kicked');
        const close = removalClose(event);
        if (event.closeConnectionId) this.#room.clients.getById(event.closeConnectionId)?.leave(close.code, close.reason);
        return;
      }
      case 'countdown_started':
        this.#countdown = this.#room.clock.setTimeout(() => this.#endCountdown(), Math.max(0, event.endsAt - Date.now()));
        return;
      case 'countdown_cancelled':
        this.#countdown?.clear();
        return;
      case 'chat_said':
        // After the patch that adds the line to `state.chat` (apply asks for it): a client that hears
        // of a line finds it in its state.
        this.#room.broadcast('chat', event.line, { afterNextPatch: true });
        return;
      case 'round_started':
        this.#bots.start();
        return;
      case 'round_finished':
        this.#bots.stop();
        return;
      // The rest asks nothing of the room beyond the state, the views and the rows (apply does those).
      case 'player_joined':
      case 'player_dropped':
      case 'spectator_joined':
      case 'spectator_left':
      case 'ready_changed':
      case 'character_picked':
      case 'player_moved':
      case 'new_round':
        return;
      default:
        event satisfies never;
    }
  }

  /** The countdown is over: the round starts, as soon as the room may act (a lease renewal late by a moment delays it as long). */
  #endCountdown(): void {
    if (this.#mayAct()) this.applyWithoutWaiting(this.#round.startPlaying(Date.now()));
    else this.#countdown = this.#room.clock.setTimeout(() => this.#endCountdown(), COUNTDOWN_RETRY_MS);
  }

  #endReconnection(clientId: string, reason: string): void {
    this.#reconnections.get(clientId)?.reject(new Error(reason));
    this.#reconnections.delete(clientId);
  }
}
