import type { RequestHandler } from 'express';
import { UnavailableError } from '../domainErrors.ts';
import type { SessionService } from '../sessions/SessionService.ts';

/**
 * Refuses to create a session while `maxSessions` exist (MAX_SESSIONS): each writes a labyrinth
 * with up to 4,096 tile rows, so anonymous creates must not be able to fill the database, even
 * slowly, from many addresses. 503 `session_limit_reached` until an operator deletes sessions.
 * Two creates racing at the limit may both pass: a cap, not an exact count.
 */
export function capSessions(sessions: SessionService, maxSessions: number): RequestHandler {
  return async (_req, res, next) => {
    const { total } = await sessions.listSessions({ limit: 1, offset: 0, withPrivate: true });
    if (total < maxSessions) return next();
    res.setHeader('Retry-After', '60');
    next(new UnavailableError('session_limit_reached', `This server holds its maximum of ${maxSessions} sessions: try again later`));
  };
}
