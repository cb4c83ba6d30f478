import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DomainError, httpStatusOf } from '../domainErrors.ts';
import type { Logger } from '../logger.ts';

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
      const code = (error as { type?: string }).type === 'entity.parse.failed' ? 'invalid_json' : 'bad_request';
      const message = code === 'invalid_json' ? 'The request body is not valid JSON' : String((error as Error).message);
      res.status(status).json(errorBody(code, message));
      return;
    }
    logger.error({ err: error, method: req.method, url: req.originalUrl }, 'request failed');
    res.status(500).json(errorBody('internal_error', 'Something went wrong on the server'));
  };
}

function statusOfHttpError(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number') {
    return error.status;
  }
  return undefined;
}
