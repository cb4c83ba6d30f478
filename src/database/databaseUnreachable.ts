/**
 * Whether an error means the database cannot be reached (down, restarting, the network cut),
 * rather than that a query was wrong. Such errors answer HTTP 503 `database_unavailable` with
 * Retry-After, not 500: the request may well succeed shortly. Drivers wrap the socket's error
 * (MikroORM's exceptions keep it as `cause`), so the whole chain is searched.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (const current of errorChain(error)) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || CONNECTION_SQLSTATES.has(code))) return true;
    if (current.name === 'ConnectionException' || UNREACHABLE_MESSAGES.test(current.message)) return true;
  }
  return false;
}

/** An error and the errors it wraps (`cause`), outermost first, a few levels deep. */
export function* errorChain(error: unknown): Generator<Error> {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    yield current;
  }
}

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** PostgreSQL's connection exception class (08) and its shutdown codes (57P01..57P03). */
const CONNECTION_SQLSTATES = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03']);
const UNREACHABLE_MESSAGES =
  /connection terminated|connection (is )?closed|connection ended|not (yet )?connected|timeout exceeded when trying to connect|server closed the connection/i;
