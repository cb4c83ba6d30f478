import { listen } from '@colyseus/tools';
import { createAppServer } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { shutDownInTime } from './shutdownInTime.ts';

// Only starts listening; all wiring lives in app.ts. `listen` adds NODE_APP_INSTANCE to the port
// (one port per PM2 process) and signals "ready" to PM2 once the server accepts connections.
const config = loadConfigOrExit();
const logger = createLogger(config.logLevel);
try {
  const server = await createAppServer({ config, logger });
  // SIGTERM/SIGINT: Colyseus stops matchmaking and closes every room (seats stay in the
  // database), then the database closes; within SHUTDOWN_TIMEOUT_SECONDS in any case.
  shutDownInTime(server, config.shutdownTimeoutSeconds, logger);
  await listen(server, config.port);
  logger.info({ port: config.port + config.instance }, 'labyrinth server listening');
} catch (error) {
  logger.fatal({ err: error }, 'server failed to start');
  process.exit(1);
}

/** A configuration mistake is the operator's to fix: say what is wrong, without a stack trace. */
function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`labyrinth server: ${error.message}`);
    process.exit(1);
  }
}
