import { join } from 'node:path';
import express, { type Application } from 'express';
import { pinoHttp } from 'pino-http';
import type { ContentService } from '../content/ContentService.ts';
import type { Logger } from '../logger.ts';
import { projectRoot } from '../projectRoot.ts';
import type { SessionService } from '../sessions/SessionService.ts';
import { requireAdmin } from './adminAuth.ts';
import { errorResponses, unknownRoute } from './errorResponses.ts';
import { restApi } from './restApi.ts';

export type HttpServices = {
  sessions: SessionService;
  content: ContentService;
  adminPassword: string;
  logger: Logger;
};

/**
 * Everything Express serves, on the app the Colyseus transport created. Colyseus answers its own
 * matchmaking routes (`/matchmake/*`) before Express sees a request.
 */
export function mountHttpRoutes(app: Application, services: HttpServices): void {
  const adminOnly = requireAdmin(services.adminPassword);
  app.disable('x-powered-by');
  app.use(pinoHttp({ logger: services.logger.child({ component: 'http' }), useLevel: 'debug' }));
  app.use(express.json({ limit: '64kb' }));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  app.use('/tiles', express.static(join(projectRoot, 'assets', 'tiles'), { maxAge: '1d', fallthrough: true }));
  app.use('/api', restApi({ sessions: services.sessions, content: services.content, requireAdmin: adminOnly }));

  app.use(unknownRoute);
  app.use(errorResponses(services.logger));
}
