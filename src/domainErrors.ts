/**
 * Errors the domain raises and every edge translates: the HTTP error middleware into a status and
 * `{"error":{code,message,field?}}`, rooms into a join error or an `error` message with the code.
 */
export class DomainError extends Error {
  /** Stable machine-readable code, e.g. `session_not_found`. Clients branch on it. */
  readonly code: string;
  /** The input field at fault, when there is one. */
  readonly field: string | undefined;
  constructor(code: string, message: string, field?: string) {
    super(message);
    this.code = code;
    this.field = field;
  }
}

/** The input is well-formed but not acceptable (HTTP 422, like the FastAPI system it replaces). */
export class InvalidInputError extends DomainError {
  override name = 'InvalidInputError';
}

/** The thing asked for does not exist (HTTP 404). */
export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
}

/** The request clashes with the current state, e.g. a client already seated elsewhere (HTTP 409). */
export class ConflictError extends DomainError {
  override name = 'ConflictError';
}

/** The caller may not do this (HTTP 403). */
export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError';
}

/** The caller did not prove who they are (HTTP 401). */
export class UnauthorizedError extends DomainError {
  override name = 'UnauthorizedError';
}
