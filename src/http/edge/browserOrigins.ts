import { ServerError } from '@colyseus/core';
import type { RequestHandler } from 'express';
import { ForbiddenError, joinRefusalMessage } from '../../domainErrors.ts';
import type { MatchmakerPolicy, MatchmakingRefusal } from '../../upstream/matchmakerController.ts';
import type { OriginPolicy } from './OriginPolicy.ts';

/**
 * The CORS headers Colyseus sets on every answer of our HTTP server (src/upstream/matchmakerController.ts):
 * only what the policy allows, where Colyseus by default echoes any `Origin` with credentials allowed,
 * admin routes included.
 */
export function corsHeaders(policy: OriginPolicy): Pick<MatchmakerPolicy, 'defaultCorsHeaders' | 'corsHeaders'> {
  return {
    // Without Colyseus's `Allow-Origin: *` and `Allow-Credentials`: only corsHeaders grants those.
    defaultCorsHeaders: {
      'Access-Control-Allow-Headers': 'Origin, X-Requested-With, Content-Type, Accept, Authorization, X-Client-Token',
      'Access-Control-Allow-Methods': 'GET,HEAD,PUT,PATCH,POST,DELETE',
      'Access-Control-Max-Age': '600',
      // The answer depends on the Origin: caches must not hand one origin's answer to another.
      Vary: 'Origin',
    },
    corsHeaders: (headers): Record<string, string> => {
      const origin = headers.get('origin') ?? undefined;
      if (origin === undefined || !policy.allows(origin, headers.get('host') ?? undefined)) return {};
      return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' };
    },
  };
}

/** Matchmaking (seat reservations, `POST /matchmake/*`, answered before Express) refuses a foreign origin with 403. */
export function refuseForeignMatchmaking(policy: OriginPolicy): MatchmakingRefusal {
  return (context) => {
    const origin = context?.headers.get('origin') ?? undefined;
    if (policy.allows(origin, context?.headers.get('host') ?? undefined)) return undefined;
    return new ServerError(403, joinRefusalMessage('origin_not_allowed', `Joining from ${origin} is not allowed (ALLOWED_ORIGINS)`));
  };
}

/** Express: a request from a page of a foreign origin is a 403 `origin_not_allowed`, whatever the route. */
export function refuseForeignOrigins(policy: OriginPolicy): RequestHandler {
  return (req, _res, next) => {
    const origin = req.get('origin');
    if (policy.allows(origin, req.get('host'))) return next();
    next(new ForbiddenError('origin_not_allowed', `Requests from ${origin} are not allowed (ALLOWED_ORIGINS)`, 'origin'));
  };
}
