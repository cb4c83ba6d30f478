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
