import { ConflictError, DomainError, ForbiddenError, InvalidInputError, NotFoundError, UnauthorizedError, UnavailableError } from '../src/domainErrors.ts';

type ErrorKind = 'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'unauthorized' | 'unavailable';

/**
 * What a room method called through `matchMaker.remoteRoomCall` returns. The call may cross
 * processes as JSON, where thrown errors lose their class, so domain errors travel as data.
 */
export type BridgeReply<T> =
  { ok: true; value: T } | { ok: false; error: { kind: ErrorKind; code: string; message: string; field?: string; details?: Record<string, string> } };

/** Runs a room operation and packs its result or domain error into a reply. */
export async function toReply<T>(operation: () => Promise<T> | T): Promise<BridgeReply<T>> {
  try {
    return { ok: true, value: await operation() };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const { code, message, field, details } = error;
    return { ok: false, error: { kind: kindOf(error), code, message, ...(field ? { field } : {}), ...(details ? { details } : {}) } };
  }
}

/** Unpacks a reply on the calling side, re-throwing the domain error it carries. */
export function fromReply<T>(reply: BridgeReply<T>): T {
  if (reply.ok) return reply.value;
  const { kind, code, message, field, details } = reply.error;
  const ErrorClass = {
    invalid: InvalidInputError,
    not_found: NotFoundError,
    conflict: ConflictError,
    forbidden: ForbiddenError,
    unauthorized: UnauthorizedError,
    unavailable: UnavailableError,
  }[kind];
  throw new ErrorClass(code, message, field, details);
}

function kindOf(error: DomainError): ErrorKind {
  if (error instanceof NotFoundError) return 'not_found';
  if (error instanceof ConflictError) return 'conflict';
  if (error instanceof ForbiddenError) return 'forbidden';
  if (error instanceof UnauthorizedError) return 'unauthorized';
  if (error instanceof UnavailableError) return 'unavailable';
  return 'invalid';
}
