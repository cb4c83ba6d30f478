/**
 * A session's seat cap while players arrive at once. A seat is claimed when its join is reserved
 * (before the player is seated, which takes a database write), so that concurrent joins are counted
 * before any of them sits: the cap holds however many arrive together. A claim ends when its
 * player is seated (the seat then counts), refused, or its reservation expires.
 */
export class SeatClaims {
  readonly maxPlayers: number;
  /** Claims by reservation (the connection id Colyseus reserved): the clientId each is for. */
  readonly #claims = new Map<string, string>();

  constructor(maxPlayers: number) {
    this.maxPlayers = maxPlayers;
  }

  /** Seats taken: those seated, and those claimed by clients not seated yet (each client once). */
  taken(seated: ReadonlyMap<string, unknown>): number {
    const claiming = new Set([...this.#claims.values()].filter((clientId) => !seated.has(clientId)));
    return seated.size + claiming.size;
  }

  free(seated: ReadonlyMap<string, unknown>): number {
    return Math.max(0, this.maxPlayers - this.taken(seated));
  }

  /** Claims a seat for `clientId` on `reservationId`; false when every seat is taken (a seated or claiming client always gets one). */
  claim(reservationId: string, clientId: string, seated: ReadonlyMap<string, unknown>): boolean {
    const hasOne = seated.has(clientId) || [...this.#claims.values()].includes(clientId);
    if (!hasOne && this.taken(seated) >= this.maxPlayers) return false;
    this.#claims.set(reservationId, clientId);
    return true;
  }

  holds(reservationId: string): boolean {
    return this.#claims.has(reservationId);
  }

  /** Ends a claim (seated, refused, or expired); false if there was none. */
  release(reservationId: string): boolean {
    return this.#claims.delete(reservationId);
  }
}
