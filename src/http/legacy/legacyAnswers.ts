import type { ErrorRequestHandler } from 'express';
import { DomainError, httpStatusOf } from '../../domainErrors.ts';
import { mazeIsPublished } from '../../game/mazeSecrecy.ts';
import type { Readiness } from '../../game/readiness.ts';
import type { SessionSummary } from '../../sessions/sessionViews.ts';
import { errorBody } from '../plumbing/errorResponses.ts';

// The old HTTP API's answers (snake_case, FastAPI's error `detail`), shared by its routes
// (legacyApi.ts) and its push channel (legacyPushChannel.ts).

/** The old push and status payload. */
export function legacyReadiness(readiness: Readiness): { players: { client_id: string; ready: boolean }[]; all_ready: boolean } {
  return {
    players: readiness.players.map((player) => ({ client_id: player.clientId, ready: player.ready })),
    all_ready: readiness.allReady,
  };
}

export function legacySession(session: SessionSummary) {
  return {
    id: session.id,
    seed: publishedSeed(session),
    labyrinth_id: session.labyrinthId,
    size: session.size,
    start_x: session.startX,
    start_y: session.startY,
    created_at: session.createdAt,
  };
}

/** Old clients expect a string: "" while the seed is secret (it gives the maze away; see mazeSecrecy.ts). */
export function publishedSeed(session: SessionSummary): string {
  return mazeIsPublished(session.phase) ? session.seed : '';
}

/** FastAPI's `detail` (old clients read it) next to our error object. */
export const legacyErrors: ErrorRequestHandler = (error, _req, res, next) => {
  if (!(error instanceof DomainError)) {
    next(error);
    return;
  }
  const detail = error.code === 'session_not_found' ? 'Session not found' : error.message;
  res.status(httpStatusOf(error)).json({ detail, ...errorBody(error.code, error.message, error.field, error.details) });
};
