import { join } from 'node:path';
import { monitor } from '@colyseus/monitor';
import { playground } from '@colyseus/playground';
import express, { type Application, type RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Config } from '../config.ts';
import type { ContentService } from '../content/ContentService.ts';
import type { Accounts } from '../identity/Accounts.ts';
import type { Logger } from '../logger.ts';
import { measureHttpRequests } from '../metrics/measureHttpRequests.ts';
import type { ServerMetrics } from '../metrics/ServerMetrics.ts';
import { projectRoot } from '../projectRoot.ts';
import type { SessionRooms } from '../../rooms/SessionRooms.ts';
import type { SessionService } from '../sessions/SessionService.ts';
import { adminRecognizer, requireAdmin, requireMetricsAccess, serverSecretMatcher } from './edge/adminAuth.ts';
import { apiDocs } from './apiDocs.ts';
import { refuseForeignOrigins } from './edge/browserOrigins.ts';
import { clientDemo } from './clientDemo.ts';
import { errorResponses, unknownRoute } from './plumbing/errorResponses.ts';
import type { FailedAdminLogins } from './edge/failedAdminLogins.ts';
import { legacyApiRoutes } from './legacy/legacyApi.ts';
import { operationsRoutes } from './rest/operationsRoutes.ts';
import type { OriginPolicy } from './edge/OriginPolicy.ts';
import type { RateLimits } from './edge/rateLimits.ts';
import { restApiRoutes } from './rest/restApi.ts';
import { routerFor, type RouteGuards } from './plumbing/routeTable.ts';
import { securityHeaders } from './edge/securityHeaders.ts';
import { SignedInPlayers } from './edge/signedInPlayers.ts';
import { capSessions } from './edge/sessionCap.ts';
import { refuseUnreadablePaths, rejectInvalidUtf8 } from './edge/unreadableRequests.ts';

/** pino-http's serialized request without its query string (in `url` and in `query`). */
function withoutQuery(req: { url?: string; query?: unknown }) {
  const { query: _query, ...rest } = req;
  return { ...rest, url: req.url?.split('?')[0] };
}

/**
 * The monitor's room list: its default columns, and the labyrinth room's seats beside `maxClients`
 * (which caps players and spectators together, so it reads 32 for a session of 4 seats).
 */
const MONITOR_COLUMNS: NonNullable<Parameters<typeof monitor>[0]>['columns'] = [
  'roomId',
  'name',
  'clients',
  { metadata: 'seated' },
  { metadata: 'maxPlayers' },
  'maxClients',
  'locked',
  'elapsedTime',
];

export type HttpServices = {
  sessions: SessionService;
  sessionRooms: SessionRooms;
  content: ContentService;
  /** Who may play, and as whom: players' tokens (and admins' claim), guests, bans. */
  accounts: Accounts;
  /** ADMIN_PASSWORD, METRICS_TOKEN, TRUST_PROXY, MAX_SESSIONS, … (the `http` section of src/config.ts). */
  settings: Config['http'];
  /** Which browser origins may call (CORS headers are set by Colyseus, see browserOrigins.ts). */
  origins: OriginPolicy;
  rateLimits: RateLimits;
  /** Wrong admin credentials per client address (ADMIN_LOGIN_FAILURES). */
  failedAdminLogins: FailedAdminLogins;
  /** PUBLIC_ADDRESS: where pages' SDKs may open room sockets (the Content-Security-Policy). */
  publicAddress: string | undefined;
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
  const { adminPassword, metricsToken } = services.settings;
  const adminOnly = requireAdmin(adminPassword, services.failedAdminLogins);
  app.disable('x-powered-by');
  app.set('trust proxy', services.settings.trustProxy);
  app.use(measureHttpRequests(services.metrics));
  const headers = securityHeaders(services.publicAddress);
  app.use(headers.all);
  for (const [path, pagePolicy] of headers.pages) app.use(path, pagePolicy);
  // Headers that carry credentials are redacted by the logger (REDACTED_PATHS); query strings are
  // cut from the logged URL, since a client may put a token there.
  app.use(pinoHttp({ logger: services.logger.child({ component: 'http' }), useLevel: 'debug', wrapSerializers: true, serializers: { req: withoutQuery } }));
  app.use(refuseForeignOrigins(services.origins));
  app.use(refuseUnreadablePaths);
  // A player's token is checked before any route, so every route and guard knows who it is (or refuses it).
  const players = new SignedInPlayers(services.accounts, services.failedAdminLogins, serverSecretMatcher([adminPassword, metricsToken]));
  app.use(players.middleware);
  // Not strict: a JSON body that is not an object (`"x"`, `5`, `null`) is refused by validateInput
  // naming `body`, rather than called invalid JSON.
  app.use(express.json({ limit: '64kb', strict: false, verify: rejectInvalidUtf8 }));

  // Limits, access and input checks run per route, in the order routeTable.ts gives them.
  const guards: RouteGuards = {
    limits: services.rateLimits,
    sessionCap: capSessions(services.sessions, services.settings.maxSessions),
    access: { admin: adminOnly, metrics: requireMetricsAccess(adminPassword, metricsToken, services.failedAdminLogins) },
  };
  app.use(routerFor(operationsRoutes, { metrics: services.metrics, readinessChecks: services.readinessChecks }, guards));
  app.use('/tiles', express.static(join(projectRoot, 'assets', 'tiles'), { maxAge: '1d' }));
  app.use(apiDocs());
  app.use(clientDemo());
  app.use('/monitor', adminOnly, monitor({ columns: MONITOR_COLUMNS }) as RequestHandler);
  if (services.developmentTools) {
    app.use('/playground', adminOnly, playground() as RequestHandler);
  }
  app.use(
    routerFor(
      restApiRoutes,
      {
        sessions: services.sessions,
        rooms: services.sessionRooms,
        content: services.content,
        isAdmin: adminRecognizer(adminPassword, services.failedAdminLogins),
        bans: services.accounts.bans,
        logger: services.logger.child({ component: 'admin' }),
      },
      guards,
    ),
  );
  app.use(routerFor(legacyApiRoutes, { sessions: services.sessions, rooms: services.sessionRooms, accounts: services.accounts, players }, guards));

  app.use(unknownRoute);
  app.use(errorResponses(services.logger));
}
