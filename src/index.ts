import { listen } from '@colyseus/tools';
import { createAppServer } from './app.ts';
import { loadConfig } from './config.ts';
import { closeAllDatabases } from './database/openDatabase.ts';
import { createLogger } from './logger.ts';

// Only starts listening; all wiring lives in app.ts. `listen` adds NODE_APP_INSTANCE to the port
// (one port per PM2 process) and signals "ready" to PM2 once the server accepts connections.
const config = loadConfig();
const logger = createLogger(config.logLevel);
try {
  const server = await createAppServer({ config, logger });
  // SIGTERM/SIGINT: Colyseus stops matchmaking and closes every room (seats stay in the
  // database), then this releases the database before the process exits.
  server.onShutdown(() => closeAllDatabases());
  await listen(server, config.port);
  logger.info({ port: config.port + Number(process.env.NODE_APP_INSTANCE ?? 0) }, 'labyrinth server listening');
} catch (error) {
  logger.fatal({ err: error }, 'server failed to start');
  process.exit(1);
}
