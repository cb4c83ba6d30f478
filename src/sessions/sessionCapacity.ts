import { UnavailableError } from '../domainErrors.ts';
import type { SessionService } from './SessionService.ts';

/**
 * Refuses to create a session while `maxSessions` exist (MAX_SESSIONS): each writes a labyrinth
 * with up to 4,096 tile rows, so anonymous creates (HTTP, or quick play) must not be able to fill
 * the database, even slowly, from many addresses: 503 `session_limit_reached` until an operator
 * deletes sessions. Two creates racing at the limit may both pass: a cap, not an exact count.
 */
export async function refuseWhenAtCapacity(sessions: SessionService, maxSessions: number): Promise<void> {
  const { total } = await sessions.listSessions({ limit: 1, offset: 0, withPrivate: true });
  if (total >= maxSessions) {
    throw new UnavailableError('session_limit_reached', `This server holds its maximum of ${maxSessions} sessions: try again later`);
  }
}
