import type { RequestHandler } from 'express';
import { UnavailableError } from '../../domainErrors.ts';
import { refuseWhenAtCapacity } from '../../sessions/sessionCapacity.ts';
import type { SessionService } from '../../sessions/SessionService.ts';

/** The session cap (sessionCapacity.ts) in front of the HTTP routes that create sessions. */
export function capSessions(sessions: SessionService, maxSessions: number): RequestHandler {
  return async (_req, res, next) => {
    try {
      await refuseWhenAtCapacity(sessions, maxSessions);
      next();
    } catch (error) {
      if (error instanceof UnavailableError) res.setHeader('Retry-After', '60');
      next(error);
    }
  };
}
