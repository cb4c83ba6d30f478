import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isDatabaseUnreachable } from '../../database/databaseUnreachable.ts';
import { DomainError, httpStatusOf } from '../../domainErrors.ts';
import type { Logger } from '../../logger.ts';
import { INVALID_UTF8_BODY } from '../edge/unreadableRequests.ts';

/** What a 503 for an unreachable database suggests waiting, in seconds. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The JSON body of every error answer. */
export type ErrorBody = { error: { code: string; message: string; field?: string } & Record<string, string> };

export function errorBody(code: string, message: string, field?: string, details?: Record<string, string>): ErrorBody {
  return { error: { ...details, code, message, ...(field === undefined ? {} : { field }) } };
}

/** Unknown routes answer JSON too, so clients never have to parse an HTML error page. */
export const unknownRoute: RequestHandler = (req, res) => {
  res.status(404).json(errorBody('route_not_found', `No route for ${req.method} ${req.path}`));
};

/**
 * Turns every error into a JSON answer. Domain errors map to their status; body-parser problems
 * (bad JSON, too large) keep their 4xx; anything else is a 500 that is logged, never leaked.
 */
export function errorResponses(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof DomainError) {
      res.status(httpStatusOf(error)).json(errorBody(error.code, error.message, error.field, error.details));
      return;
    }
    const status = statusOfHttpError(error);
    if (status !== undefined && status >= 400 && status < 500) {
      const [answer, code, message] = describeUnreadableBody(error as Error & { type?: string }, status);
      res.status(answer).json(errorBody(code, message, 'body'));
      return;
    }
    if (isDatabaseUnreachable(error)) {
      logger.warn({ err: error, method: req.method, path: req.path }, 'request failed: the database is unreachable');
      res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      res.status(503).json(errorBody('database_unavailable', 'The database cannot be reached right now: try again shortly'));
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    res.status(500).json(errorBody('internal_error', 'Something went wrong on the server'));
  };
}

/** body-parser's refusals (its `type`), as a status, a code and a message. */
function describeUnreadableBody(error: Error & { type?: string }, status: number): [number, string, string] {
  switch (error.type ?? '') {
    case 'entity.parse.failed':
      return [400, 'invalid_json', 'The request body is not valid JSON'];
    case INVALID_UTF8_BODY:
      return [400, 'invalid_utf8', error.message];
    case 'entity.too.large':
      return [413, 'body_too_large', 'The request body is too large'];
    default:
      return [status, 'bad_request', error.message];
  }
}

function statusOfHttpError(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number') {
    return error.status;
  }
  return undefined;
}
