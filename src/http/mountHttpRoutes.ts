import { join } from 'node:path';
import { monitor } from '@colyseus/monitor';
import { playground } from '@colyseus/playground';
import express, { type Application, type RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Config } from '../config.ts';
import type { ContentService } from '../content/ContentService.ts';
import type { ClientIdentityService } from '../identity/ClientIdentityService.ts';
import type { Logger } from '../logger.ts';
import { measureHttpRequests } from '../metrics/measureHttpRequests.ts';
import type { ServerMetrics } from '../metrics/ServerMetrics.ts';
import { projectRoot } from '../projectRoot.ts';
import type { SessionRooms } from '../../rooms/SessionRooms.ts';
import type { SessionService } from '../sessions/SessionService.ts';
import { adminRecognizer, requireAdmin, requireMetricsAccess } from './adminAuth.ts';
import { apiDocs } from './apiDocs.ts';
import { refuseForeignOrigins } from './browserOrigins.ts';
import { clientDemo } from './clientDemo.ts';
import { errorResponses, unknownRoute } from './errorResponses.ts';
import { legacyApi } from './legacyApi.ts';
import type { OriginPolicy } from './OriginPolicy.ts';
import { RATE_LIMITED_PATHS, type RateLimits } from './rateLimits.ts';
import { restApi } from './restApi.ts';
import { capSessions } from './sessionCap.ts';
import { refuseUnreadablePaths, rejectInvalidUtf8 } from './unreadableRequests.ts';

/** pino-http's serialized request without its query string (in `url` and in `query`). */
function withoutQuery(req: { url?: string; query?: unknown }) {
  const { query: _query, ...rest } = req;
  return { ...rest, url: req.url?.split('?')[0] };
}

export type HttpServices = {
  sessions: SessionService;
  sessionRooms: SessionRooms;
  content: ContentService;
  identity: ClientIdentityService;
  /** ADMIN_PASSWORD, METRICS_TOKEN, TRUST_PROXY, MAX_SESSIONS, … (the `http` section of src/config.ts). */
  settings: Config['http'];
  /** Which browser origins may call (CORS headers are set by Colyseus, see browserOrigins.ts). */
  origins: OriginPolicy;
  rateLimits: RateLimits;
  /** Serve the Colyseus playground (development only). */
  developmentTools: boolean;
  metrics: ServerMetrics;
  /** What `/ready` checks, by the name it reports each under (the database, and Redis when used). */
  readinessChecks: Record<string, () => Promise<{ ok: boolean; reason?: string }>>;
  logger: Logger;
};

/**
 * Everything Express serves, on the app the Colyseus transport created. Colyseus answers its own
 * matchmaking routes (`/matchmake/*`) before Express sees a request.
 */
export function mountHttpRoutes(app: Application, services: HttpServices): void {
  const adminOnly = requireAdmin(services.settings.adminPassword);
  app.disable('x-powered-by');
  app.set('trust proxy', services.settings.trustProxy);
  app.use(measureHttpRequests(services.metrics));
  // Headers that carry credentials are redacted by the logger (REDACTED_PATHS); query strings are
  // cut from the logged URL, since a client may put a token there.
  app.use(pinoHttp({ logger: services.logger.child({ component: 'http' }), useLevel: 'debug', wrapSerializers: true, serializers: { req: withoutQuery } }));
  app.use(refuseForeignOrigins(services.origins));
  app.use(refuseUnreadablePaths);
  // Not strict: a JSON body that is not an object (`"x"`, `5`, `null`) is refused by validateInput
  // naming `body`, rather than called invalid JSON.
  app.use(express.json({ limit: '64kb', strict: false, verify: rejectInvalidUtf8 }));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  // Readiness for load balancers: 503, naming the part that failed, while the database (or Redis,
  // when several processes share it) cannot be reached.
  app.get('/ready', async (_req, res) => {
    const checks = Object.entries(services.readinessChecks);
    const results = Object.fromEntries(await Promise.all(checks.map(async ([name, check]) => [name, await check()] as const)));
    const ready = Object.values(results).every((result) => result.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', ...results });
  });
  // Prometheus scrapes each process on its own port; a read-only token spares it the admin password.
  app.get('/metrics', requireMetricsAccess(services.settings.adminPassword, services.settings.metricsToken), async (_req, res) => {
    res.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics());
  });
  app.use('/tiles', express.static(join(projectRoot, 'assets', 'tiles'), { maxAge: '1d' }));
  app.use(apiDocs());
  app.use(clientDemo());
  app.use('/monitor', adminOnly, monitor() as RequestHandler);
  if (services.developmentTools) {
    app.use('/playground', adminOnly, playground() as RequestHandler);
  }
  // Limits ahead of the routers, which stay unaware of them: one count per kind, both APIs together.
  const sessionCap = capSessions(services.sessions, services.settings.maxSessions);
  for (const path of RATE_LIMITED_PATHS.sessionCreates) app.post(path, services.rateLimits.sessionCreates, sessionCap);
  for (const path of RATE_LIMITED_PATHS.previews) app.post(path, services.rateLimits.previews);
  for (const path of RATE_LIMITED_PATHS.joins) app.post(path, services.rateLimits.joins);
  app.use(
    '/api',
    restApi({ sessions: services.sessions, rooms: services.sessionRooms, content: services.content, requireAdmin: adminOnly, isAdmin: adminRecognizer(services.settings.adminPassword) }),
  );
  app.use(
    legacyApi({ sessions: services.sessions, rooms: services.sessionRooms, identity: services.identity, requireAdmin: adminOnly }),
  );

  app.use(unknownRoute);
  app.use(errorResponses(services.logger));
}
