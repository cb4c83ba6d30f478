/**
 * Errors the domain raises and every edge translates: the HTTP error middleware into a status and
 * `{"error":{code,message,field?}}`, rooms into a join error or an `error` message with the code.
 */
export class DomainError extends Error {
  /** Stable machine-readable code, e.g. `session_not_found`. Clients branch on it. */
  readonly code: string;
  /** The input field at fault, when there is one. */
  readonly field: string | undefined;
  /** Extra facts a client can act on, e.g. the session a client is already seated in. */
  readonly details: Record<string, string> | undefined;
  constructor(code: string, message: string, field?: string, details?: Record<string, string>) {
    super(message);
    // Each kind's name is its class's, for logs and stack traces.
    this.name = new.target.name;
    this.code = code;
    this.field = field;
    this.details = details;
  }
}

/** The input is well-formed but not acceptable (HTTP 422, like the FastAPI system it replaces). */
export class InvalidInputError extends DomainError {}

/** The thing asked for does not exist (HTTP 404). */
export class NotFoundError extends DomainError {}

/** The request clashes with the current state, e.g. a client already seated elsewhere (HTTP 409). */
export class ConflictError extends DomainError {}

/** The caller may not do this (HTTP 403). */
export class ForbiddenError extends DomainError {}

/** The caller did not prove who they are (HTTP 401). */
export class UnauthorizedError extends DomainError {}

/** The caller must wait before trying again, e.g. after too many wrong credentials (HTTP 429). */
export class TooManyRequestsError extends DomainError {}

/** The server cannot take this now (overloaded, its database unreachable): try again shortly (HTTP 503). */
export class UnavailableError extends DomainError {}

/**
 * A refused join's message: its reason's code, a colon, then what happened and what to do
 * (`session_full: Session 3f… is full (4 players): …`). The SDK hands a refused join to its caller
 * as a MatchMakeError with two fields only, a number `code` (the HTTP-like status: 400, 403, 404,
 * 409, 503) and `message` (Colyseus passes nothing else, over HTTP or the socket): so that a client
 * tells "session full" from "seated elsewhere" (both 409) without reading prose, the message of
 * every join this server refuses leads with its code.
 */
export function joinRefusalMessage(code: string, message: string): string {
  return `${code}: ${message}`;
}

/** The reason code a refused join's message leads with (`session_full`, …); undefined when Colyseus refused it itself (`room "…" not found`). */
export function joinRefusalCode(message: string): string | undefined {
  return /^([a-z_]+): /.exec(message)?.[1];
}

/** The HTTP status that stands for a domain error; rooms reuse it as their join error codes. */
export function httpStatusOf(error: DomainError): number {
  if (error instanceof InvalidInputError) return 422;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof UnauthorizedError) return 401;
  if (error instanceof UnavailableError) return 503;
  if (error instanceof TooManyRequestsError) return 429;
  return 400;
}
