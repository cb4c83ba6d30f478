/**
 * What a session id looks like (a UUID). Anything else cannot name a session, and is refused before
 * PostgreSQL sees it (it would fail the query with a uuid syntax error).
 */
export const SESSION_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
