import { join } from 'node:path';
import { defineServer, type Server } from '@colyseus/core';
import type { Config } from './config.ts';
import { ContentService } from './content/ContentService.ts';
import { readContentDirectory } from './content/readContentDirectory.ts';
import { openDatabase } from './database/openDatabase.ts';
import { mountHttpRoutes } from './http/mountHttpRoutes.ts';
import type { Logger } from './logger.ts';
import { projectRoot } from './projectRoot.ts';
import { SessionService } from './sessions/SessionService.ts';

export type AppOptions = {
  config: Config;
  logger: Logger;
  /** Let Colyseus handle SIGTERM/SIGINT (production); tests stop the server themselves. */
  handleSignals?: boolean;
};

/**
 * All wiring in one place: database, content, services, HTTP routes and rooms. `src/index.ts`
 * listens with it and the tests boot it, so tests run exactly what production runs.
 */
export async function createAppServer({ config, logger, handleSignals = true }: AppOptions): Promise<Server> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    logger,
    logQueries: config.logDatabaseQueries,
  });
  const sessions = new SessionService(database);
  const content = new ContentService(database);
  const loaded = await content.load(await readContentDirectory(join(projectRoot, 'seed')));
  logger.info(loaded, 'loaded game content');

  if (config.adminPasswordGenerated) {
    // Logged once, so an operator who forgot ADMIN_PASSWORD can still reach the admin routes.
    logger.warn({ adminPassword: config.adminPassword }, 'ADMIN_PASSWORD is not set: generated one for this run');
  }

  return defineServer({
    rooms: {},
    logger,
    greet: false,
    gracefullyShutdown: handleSignals,
    express: (app) => mountHttpRoutes(app, { sessions, content, adminPassword: config.adminPassword, logger }),
  });
}
