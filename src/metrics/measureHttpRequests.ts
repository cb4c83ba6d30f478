import type { Request, RequestHandler } from 'express';
import type { ServerMetrics } from './ServerMetrics.ts';

/**
 * Times every HTTP request Express serves. The route label is the route pattern that matched
 * (`/api/sessions/:id`), never the raw URL, so that the number of label values stays bounded
 * whatever clients request; requests no route matched share `unmatched`.
 */
export function measureHttpRequests(metrics: ServerMetrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const routeLabel = rememberMatchedRoute(req);
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeHttpRequest({ method: req.method, route: routeLabel(), status: String(res.statusCode) }, seconds);
    });
    next();
  };
}

/**
 * Express sets `req.route` when a route matches, but the mount path of its router (`/api`) is in
 * `req.baseUrl` only while that router runs: an error thrown there is answered after Express has
 * reset it. So the full pattern is taken when Express assigns `req.route`. Mounted middleware
 * without routes (static files, the monitor) is labelled by its mount path.
 */
function rememberMatchedRoute(req: Request): () => string {
  let route: unknown;
  let matched: string | undefined;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set: (value: { path?: unknown } | undefined) => {
      route = value;
      if (typeof value?.path === 'string') matched = `${req.baseUrl}${value.path}`;
    },
  });
  return () => matched ?? (req.baseUrl || 'unmatched');
}
