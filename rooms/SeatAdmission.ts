import type { Room } from '@colyseus/core';
import { ConflictError } from '../src/domainErrors.ts';
import type { SeatClaims } from '../src/game/SeatClaims.ts';
import type { SessionRound } from '../src/game/SessionRound.ts';
import { joinerId, QUICK_PLAY_FILTER } from './joinForms.ts';

/** Colyseus's `Room._reserveSeat` (private in its types): how the matchmaker reserves a seat, in the room's process. */
type ReserveSeat = (
  reservationId: string,
  options: unknown,
  authData?: unknown,
  seconds?: number,
  allowReconnection?: boolean,
  ...rest: unknown[]
) => Promise<boolean>;

/** The parts of a join's options admission reads (already validated by the room type's static onAuth). */
type Reserving = { spectator?: unknown; [QUICK_PLAY_FILTER]?: unknown };

/**
 * Keeps a session within its seat cap (maxPlayers) however many players arrive at once. Colyseus
 * reserves seats against `maxClients`, which counts spectators too (they have their own cap), so
 * the room claims a player seat when the matchmaker reserves one (see SeatClaims):
 *
 * - a quick-play reservation past the cap is refused, as Colyseus refuses a full room: the
 *   matchmaker then tries again, finds another room or creates one (the listing, updated first,
 *   no longer offers this one);
 * - any other join past the cap reaches onAuth and is refused there with `session_full`, a
 *   message the client can show (spectators are not counted).
 *
 * The room is never `lock()`ed for it: a locked room cannot be joined by id, nor watched.
 *
 * No seat is reserved while the room may not act (`mayAct`: it no longer owns its session, or cannot
 * confirm it does): a reservation would keep a closing room alive until it expires, answering for the
 * session meanwhile, where the matchmaker should find the room that owns it.
 */
export class SeatAdmission {
  readonly #claims: SeatClaims;
  readonly #round: SessionRound;
  readonly #room: Pick<Room, 'clock' | 'seatReservationTimeout'>;
  readonly #listing: { list(): Promise<void>; listed(): Promise<void> };

  constructor(room: Room, claims: SeatClaims, round: SessionRound, listing: { list(): Promise<void>; listed(): Promise<void> }, mayAct: () => boolean) {
    this.#room = room;
    this.#claims = claims;
    this.#round = round;
    this.#listing = listing;
    const reserve = (room['_reserveSeat'] as ReserveSeat).bind(room);
    room['_reserveSeat'] = (async (reservationId, options, ...rest) => {
      if (!mayAct()) return false;
      const reconnecting = rest[2] === true;
      const { spectator, [QUICK_PLAY_FILTER]: quickPlay } = (options ?? {}) as Reserving;
      const clientId = joinerId(options);
      if (!reconnecting && clientId !== undefined && !this.#round.watchesOnly(clientId, spectator === true)) {
        if (!this.#claim(reservationId, clientId) && quickPlay !== undefined) {
          await this.#listing.listed();
          return false;
        }
      }
      const reserved = await reserve(reservationId, options, ...rest);
      if (!reserved) this.release(reservationId);
      return reserved;
    }) satisfies ReserveSeat;
  }

  /**
   * Seats a player (`seat`) on its claim: the one its reservation made, or one made now; refused
   * with `session_full` when every seat is taken. A failed seating ends the claim; a successful one
   * keeps it until `release` (once the seat shows in the round).
   */
  async seating<T>(reservationId: string, clientId: string, seat: () => Promise<T>): Promise<T> {
    if (!this.#claims.holds(reservationId) && !this.#claim(reservationId, clientId)) throw this.#full();
    try {
      return await seat();
    } catch (error) {
      this.release(reservationId);
      throw error;
    }
  }

  #full(): ConflictError {
    return new ConflictError(
      'session_full',
      `Session ${this.#round.sessionId} is full (${this.#claims.maxPlayers} players): watch it with spectator: true, or quick-play`,
      'sessionId',
    );
  }

  /** The claim is over: its player is seated (the seat now counts), or its join failed. */
  release(reservationId: string): void {
    if (this.#claims.release(reservationId)) void this.#listing.list();
  }

  #claim(reservationId: string, clientId: string): boolean {
    if (!this.#claims.claim(reservationId, clientId, this.#round.members.seats)) return false;
    // A reservation never used expires: so does its claim.
    this.#room.clock.setTimeout(() => this.release(reservationId), this.#room.seatReservationTimeout * 1000);
    void this.#listing.list();
    return true;
  }
}
