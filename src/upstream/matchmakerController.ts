// Upstream workaround (see docs/architecture.md#upstream-workarounds).
// Package: @colyseus/core 0.18.17, `matchMaker.controller` (packages/core/src/matchmaker/controller.ts).
// Behaviour: CORS headers that allow any origin with credentials, and no hook around matchmaking to
// refuse a request early or to answer one that failed because Redis went away.
// Upstream issue: none filed.
// Obsolescence test: tests/upstream/colyseusMatchmakerController.test.ts fails once Colyseus's CORS defaults are safe; the
// refusals still need this patch until Colyseus has a hook around matchmaking.
import { matchMaker, type AuthContext, type ServerError } from '@colyseus/core';

const controller = matchMaker.controller;

/** Colyseus's controller as it ships, before any policy: what a policy replaces. */
export const colyseusController = {
  defaultCorsHeaders: { ...controller.DEFAULT_CORS_HEADERS } as Record<string, string>,
  getCorsHeaders: controller.getCorsHeaders.bind(controller),
  invokeMethod: controller.invokeMethod.bind(controller),
};

/** Refuses a matchmaking request (an error to answer with), or lets it through (undefined). */
export type MatchmakingRefusal = (context: AuthContext | undefined) => ServerError | undefined;

export type MatchmakerPolicy = {
  /** CORS headers on every answer of the HTTP server, instead of Colyseus's. */
  defaultCorsHeaders: Record<string, string>;
  /** CORS headers by the request's headers, on top of the defaults (Colyseus's documented hook). */
  corsHeaders: (requestHeaders: Headers) => Record<string, string>;
  /**
   * Asked in order before Colyseus handles a request, and again when it failed: the first refusal
   * answers (a request under way when Redis went away gets the same answer as one that came after).
   */
  refusals: MatchmakingRefusal[];
};

/**
 * Our CORS headers and matchmaking refusals in Colyseus's matchmaking controller
 * (`matchMaker.controller`), which answers `POST /matchmake/*` and sets the CORS headers of every
 * answer of our HTTP server before Express sees a request. Works around @colyseus/core 0.18.17
 * (packages/core/src/matchmaker/controller.ts), where:
 *
 * - `DEFAULT_CORS_HEADERS` allow any origin with credentials (`Access-Control-Allow-Origin: *`,
 *   `Access-Control-Allow-Credentials: true`) on every answer, admin routes included, and
 *   `getCorsHeaders` echoes the request's `Origin`: there is no setting for the allowed origins;
 * - `invokeMethod` has no hook around it: a room type's static `onAuth` runs inside it, for that
 *   room type only (Colyseus's `LobbyRoom` has none) and not on `reconnect`, after the room has
 *   been looked up for `joinById`; and a request that fails because Redis went away ends, after
 *   ioredis's retries, with ioredis's own error.
 *
 * The controller is one object per process, shared by every server in it: the policy applied last
 * decides (tests boot one server at a time). Colyseus's own functions are kept from before any
 * policy, so applying one again replaces the previous one rather than wrapping it.
 */
export function applyMatchmakerPolicy(policy: MatchmakerPolicy): void {
  controller.DEFAULT_CORS_HEADERS = policy.defaultCorsHeaders as typeof controller.DEFAULT_CORS_HEADERS;
  controller.getCorsHeaders = policy.corsHeaders;
  controller.invokeMethod = async (method, roomName, clientOptions, authContext): Promise<unknown> => {
    const refuse = () => {
      for (const refusal of policy.refusals) {
        const error = refusal(authContext);
        if (error) throw error;
      }
    };
    refuse();
    try {
      return (await colyseusController.invokeMethod(method, roomName, clientOptions, authContext)) as unknown;
    } catch (error) {
      refuse();
      throw error;
    }
  };
}
