import type { RequestHandler } from 'express';
import { UnavailableError } from '../domainErrors.ts';
import type { SessionService } from '../sessions/SessionService.ts';

/** The session cap (SessionService.refuseWhenAtCapacity) in front of the HTTP routes that create sessions. */
export function capSessions(sessions: SessionService, maxSessions: number): RequestHandler {
  return async (_req, res, next) => {
    try {
      await sessions.refuseWhenAtCapacity(maxSessions);
      next();
    } catch (error) {
      if (error instanceof UnavailableError) res.setHeader('Retry-After', '60');
      next(error);
    }
  };
}
