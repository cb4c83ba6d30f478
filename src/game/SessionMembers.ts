import type { Seat, Spectator } from './roundFacts.ts';

/**
 * Who is in a session and on which connection: the seats (in seating order), the connection that
 * holds each seat, and the spectators. A connection id is the transport's id for one socket (an SDK
 * reconnection keeps it); a client id is the player's stable identity. Pure bookkeeping: the
 * rules of what may change live in `SessionRound`.
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

  /** The clientId a connection acts for as a player, or undefined when it holds no seat (any more). */
  holderOf(connectionId: string): string | undefined {
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
