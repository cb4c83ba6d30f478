import { ForbiddenError } from '../domainErrors.ts';
import type { Seat, Spectator } from './roundFacts.ts';

/**
 * Who is in a session and on which connection: the seats (in seating order), the connection that
 * holds each seat, and the spectators. A connection id is the transport's id for one socket (an SDK
 * reconnection keeps it); a client id is the player's stable identity. Pure bookkeeping, and who
 * a connection acts for: the rules of what may change live in `SessionRound`.
 */
export class SessionMembers {
  /** Seats by clientId, oldest first. */
  readonly seats = new Map<string, Seat>();
  /** Spectators by connection id. */
  readonly spectators = new Map<string, Spectator>();
  /** clientId → the connection that holds its seat (none while seated over HTTP). */
  readonly #holders = new Map<string, string>();
  /** connection → the clientId it joined as a player, until that connection is gone. */
  readonly #players = new Map<string, string>();
  /** Set when the room closes for good: connections go, but nobody is unseated. */
  #closed = false;

  /** The room closes for good (session deleted, server shutdown): from now on no connection holds a seat. */
  close(): void {
    this.#closed = true;
  }

  /** The clientId a connection acts for as a player, or undefined when it holds no seat (any more, or the room is closing). */
  holderOf(connectionId: string): string | undefined {
    if (this.#closed) return undefined;
    const clientId = this.#players.get(connectionId);
    return clientId !== undefined && this.#holders.get(clientId) === connectionId ? clientId : undefined;
  }

  /** The connection holding a seat, if a socket holds it. */
  connectionOf(clientId: string): string | undefined {
    return this.#holders.get(clientId);
  }

  /** Gives the seat to `connectionId`; returns the connection that held it before, if another did. */
  hold(clientId: string, connectionId: string): string | undefined {
    const previous = this.#holders.get(clientId);
    this.#holders.set(clientId, connectionId);
    this.#players.set(connectionId, clientId);
    return previous !== connectionId ? previous : undefined;
  }

  /** Frees a seat; whichever connection held it holds nothing now. */
  unseat(clientId: string): void {
    this.seats.delete(clientId);
    this.#holders.delete(clientId);
  }

  /** The seat a connection holds, if it holds one. */
  seatHeldBy(connectionId: string): Seat | undefined {
    const clientId = this.holderOf(connectionId);
    return clientId === undefined ? undefined : this.seats.get(clientId);
  }

  /** Who a connection is, for `whoami`: its player or spectator identity. */
  identityOf(connectionId: string): { clientId: string; spectator: boolean } | undefined {
    const spectator = this.spectators.get(connectionId);
    if (spectator) return { clientId: spectator.clientId, spectator: true };
    const clientId = this.holderOf(connectionId);
    return clientId === undefined ? undefined : { clientId, spectator: false };
  }

  /** The seated player a connection acts for; refuses spectators and connections that hold no seat. */
  playerOf(connectionId: string, action: string): string {
    if (this.spectators.has(connectionId)) throw new ForbiddenError('spectator', `Spectators cannot ${action}`);
    const clientId = this.holderOf(connectionId);
    if (clientId === undefined || !this.seats.has(clientId)) {
      throw new ForbiddenError('not_seated', `Only a seated player can ${action}`);
    }
    return clientId;
  }

  /** Forgets a connection that is gone; returns the clientId it held a seat for, if it still did. */
  release(connectionId: string): string | undefined {
    const holder = this.holderOf(connectionId);
    this.#players.delete(connectionId);
    return holder;
  }

  /** Whether a clientId is still present in any role (so its per-client limits must be kept). */
  isPresent(clientId: string): boolean {
    return this.seats.has(clientId) || [...this.spectators.values()].some((spectator) => spectator.clientId === clientId);
  }

  /** The seats as `{clientId, ready}` in seating order. */
  readiness(): { clientId: string; ready: boolean }[] {
    return [...this.seats.values()].map(({ clientId, ready }) => ({ clientId, ready }));
  }
}
