import { matchMaker, ServerError } from '@colyseus/core';
import type { RequestHandler } from 'express';
import { joinRefusalMessage } from '../../rooms/joinRefusalCode.ts';
import { ForbiddenError } from '../domainErrors.ts';
import type { OriginPolicy } from './OriginPolicy.ts';

/** The policy Colyseus's CORS headers and matchmaking follow; set by `applyOriginPolicy`. */
let current: OriginPolicy | undefined;
let matchmakingGuarded = false;

/**
 * Colyseus sets CORS headers on every answer of our HTTP server, and by default echoes any
 * `Origin` with credentials allowed (admin routes included). Here it allows only what the policy
 * allows, and its matchmaking (seat reservations, `POST /matchmake/*`, answered before Express)
 * refuses a foreign origin with 403. Colyseus keeps these in a process-wide controller, so the
 * last server created in a process decides (tests boot one at a time).
 */
export function applyOriginPolicy(policy: OriginPolicy): void {
  current = policy;
  const controller = matchMaker.controller;
  // Without Colyseus's `Allow-Origin: *` and `Allow-Credentials`: only getCorsHeaders grants those.
  controller.DEFAULT_CORS_HEADERS = {
    'Access-Control-Allow-Headers': 'Origin, X-Requested-With, Content-Type, Accept, Authorization, X-Client-Token',
    'Access-Control-Allow-Methods': 'GET,HEAD,PUT,PATCH,POST,DELETE',
    'Access-Control-Max-Age': '600',
    // The answer depends on the Origin: caches must not hand one origin's answer to another.
    Vary: 'Origin',
  } as unknown as typeof controller.DEFAULT_CORS_HEADERS;
  controller.getCorsHeaders = (headers: Headers): Record<string, string> => {
    const origin = headers.get('origin') ?? undefined;
    if (origin === undefined || !current?.allows(origin, headers.get('host') ?? undefined)) return {};
    return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' };
  };
  if (matchmakingGuarded) return;
  matchmakingGuarded = true;
  const invokeMethod = controller.invokeMethod.bind(controller);
  controller.invokeMethod = (method, roomName, clientOptions, authContext) => {
    const origin = authContext?.headers.get('origin') ?? undefined;
    if (current && !current.allows(origin, authContext?.headers.get('host') ?? undefined)) {
      return Promise.reject(new ServerError(403, joinRefusalMessage('origin_not_allowed', `Joining from ${origin} is not allowed (ALLOWED_ORIGINS)`)));
    }
    return invokeMethod(method, roomName, clientOptions, authContext);
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
