// Close codes of the labyrinth room beyond Colyseus's own (4000 consented, 4001 server shutdown, which a
// room that lost its session sends too).
// In a file of their own, with no imports, so browser clients can import them without the room.

/** Sent to every client when an admin deletes the session. The SDK does not reconnect. */
export const SESSION_DELETED_CLOSE_CODE = 4404;
/** Sent to an older connection when the same clientId joins again (e.g. a page reload). */
export const SEAT_TAKEN_OVER_CLOSE_CODE = 4409;
/**
 * Sent to every client of a room that no longer owns its session (another room took it over: this
 * process paused, or was cut off from Redis or the database). The same code as Colyseus's server
 * shutdown, and the same answer: join the session again with your clientId and clientToken, and
 * you land in the room that owns it, on your seat. The SDK does not reconnect on its own.
 */
export const SESSION_MOVED_CLOSE_CODE = 4001;
/** Sent to a player an admin removed (a kick, or the monitor's "remove client"): the seat is freed; joining again is allowed. The SDK does not reconnect. */
export const KICKED_CLOSE_CODE = 4410;
/** Sent to every connection of an identity an admin banned: its seat is freed, and every join and HTTP call of it is refused until the ban is lifted. */
export const BANNED_CLOSE_CODE = 4403;

/** The close code and reason for a removed player: what the admin gave as a reason, cut to the 123 bytes a close reason may hold. */
export function removalClose(removal: { banned: boolean; reason: string | null }): { code: number; reason: string } {
  const what = removal.banned ? 'Banned by an admin' : 'Removed from the session by an admin';
  let reason = removal.reason ? `${what}: ${removal.reason}` : what;
  const encoder = new TextEncoder();
  while (encoder.encode(reason).length > 123) reason = [...reason].slice(0, -1).join('');
  return { code: removal.banned ? BANNED_CLOSE_CODE : KICKED_CLOSE_CODE, reason };
}
