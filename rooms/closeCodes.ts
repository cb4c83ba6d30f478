// Close codes of the labyrinth room beyond Colyseus's own (4000 consented, 4001 server shutdown).
// In a file of their own, with no imports, so browser clients can import them without the room.

/** Sent to every client when an admin deletes the session. The SDK does not reconnect. */
export const SESSION_DELETED_CLOSE_CODE = 4404;
/** Sent to an older connection when the same clientId joins again (e.g. a page reload). */
export const SEAT_TAKEN_OVER_CLOSE_CODE = 4409;
