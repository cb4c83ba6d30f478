import { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import type { ZodOpenApiResponsesObject } from 'zod-openapi';
import type { RateLimitedKind } from '../edge/rateLimits.ts';
import { validateInput } from './validateInput.ts';

// One entry per route: from a table the Express routes (routerFor, below) and the OpenAPI paths
// (openApiPaths.ts) are both produced, so a route, its input, its answers, its limit and who may
// call it are written once. A new route is one entry and its handler.

/** Who may call a route: the admin password, or METRICS_TOKEN as well (adminAuth.ts). */
export type RouteAccess = 'admin' | 'metrics';

/** What a route reads, validated before its handler runs (a problem is a 422 naming the field). */
export type RequestSchemas = { params?: z.ZodObject; query?: z.ZodObject; body?: z.ZodType };

/** What a schema gives, or undefined for input the route does not read. */
type Parsed<Schemas, Key extends keyof RequestSchemas> = Key extends keyof Schemas
  ? Schemas[Key] extends infer Schema
    ? Schema extends z.ZodType
      ? z.output<Schema>
      : undefined
    : never
  : undefined;

/** A handler's input, typed from its route's schemas. */
export type RouteInput<Schemas extends RequestSchemas> = {
  params: Parsed<Schemas, 'params'>;
  query: Parsed<Schemas, 'query'>;
  body: Parsed<Schemas, 'body'>;
};

export type RouteCall<Services, Schemas extends RequestSchemas> = {
  input: RouteInput<Schemas>;
  services: Services;
  req: Request;
  res: Response;
};

export type Route<Services, Schemas extends RequestSchemas = RequestSchemas> = {
  method: 'get' | 'post' | 'delete';
  /** In Express's form, `/api/sessions/:id`; the document shows it as `/api/sessions/{id}`. */
  path: string;
  /** The document's group for it. */
  tag: string;
  summary: string;
  description?: string;
  request?: Schemas;
  /**
   * Its own answers by status. Those that follow from the entry are added to the document:
   * 422 for validated input, 401 for `access`, 429 (and the session cap's 503) for `limit`.
   */
  responses: ZodOpenApiResponsesObject;
  /** The rate limit it counts against (one count per kind, across the APIs); `sessionCreates` also meets the session cap. */
  limit?: RateLimitedKind;
  access?: RouteAccess;
  /** Answers the request (method syntax: a table holds routes of different inputs). */
  handle(call: RouteCall<Services, Schemas>): unknown;
};

export type RouteTable<Services> = {
  /** The shape of this API's own error answers (its 401 and 422). */
  errorShape: z.ZodType;
  /**
   * Turns errors of this API's handlers, guards and input into its own answers (the old API's
   * FastAPI `detail`). Limits are outside it: their refusals look the same in every API.
   */
  answerErrors?: ErrorRequestHandler;
  routes: Route<Services>[];
};

/** What routes are guarded with, given by the app (one instance per kind, shared by every table). */
export type RouteGuards = {
  limits: Record<RateLimitedKind, RequestHandler>;
  /** Runs after the session-creation limit: refuses while MAX_SESSIONS exist (sessionCap.ts). */
  sessionCap: RequestHandler;
  access: Record<RouteAccess, RequestHandler>;
};

/**
 * Typed entries for a table of `Services`: each entry's handler gets its input typed from its own
 * schemas (`routeOf<Services>()({ request: { body }, handle: ({ input }) => … })`).
 */
export function routeOf<Services>() {
  // A table erases each entry's input type: the entry was checked against its own schemas here,
  // and routerFor hands its handler exactly what those schemas parsed.
  return <Schemas extends RequestSchemas = Record<never, never>>(route: Route<Services, Schemas>): Route<Services> => route as unknown as Route<Services>;
}

/**
 * The table's routes on a router, in table order. Each runs: its limit (and for session creates
 * the session cap), then its access guard, then input validation, then the handler. Limits come
 * first so that a refused request costs nothing more, and an invalid request still counts.
 */
export function routerFor<Services>(table: RouteTable<Services>, services: Services, guards: RouteGuards): Router {
  const router = Router();
  const answerErrors = table.answerErrors ? [table.answerErrors] : [];
  for (const route of table.routes) {
    // A layer of its own: an error it passes on leaves the router, past this API's answerErrors.
    if (route.limit) {
      router[route.method](route.path, guards.limits[route.limit], ...(route.limit === 'sessionCreates' ? [guards.sessionCap] : []));
    }
    const access = route.access ? [guards.access[route.access]] : [];
    router[route.method](route.path, ...access, handlerOf(route, services), ...answerErrors);
  }
  return router;
}

function handlerOf<Services>(route: Route<Services>, services: Services): RequestHandler {
  const { params, query, body } = route.request ?? {};
  return async (req, res) => {
    const input = {
      params: params && validateInput(params, req.params),
      query: query && validateInput(query, req.query),
      body: body && validateInput(body, req.body),
    };
    await route.handle({ input, services, req, res });
  };
}

/** A path in the document's form: Express's `:id` is OpenAPI's `{id}`. */
export function documentedPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}
