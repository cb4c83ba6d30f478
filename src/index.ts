import { createAppServer } from './app.ts';
import { warnIfPublicAddressUnreachable } from './cluster/publicAddressCheck.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger, logFormatFor } from './logger.ts';
import { shutDownInTime } from './shutdownInTime.ts';
import { checkPortFree } from './portCheck.ts';
import { logStartupSummary } from './startupSummary.ts';
import { reportStartupFailure } from './startupFailure.ts';

// Only starts listening; all wiring lives in app.ts. Each PM2 process listens on its own port,
// PORT + NODE_APP_INSTANCE, and tells PM2 "ready" once it accepts connections (wait_ready).
// Not @colyseus/tools' `listen`: importing that package loads /etc/environment over the process's
// own variables, and docs/configuration.md promises that real environment variables win.
const config = loadConfigOrExit();
const logger = createLogger(config.server.logLevel, logFormatFor(config.server.nodeEnv));
try {
  const port = config.server.port + config.server.nodeAppInstance;
  // A busy port is found in milliseconds, before the database and the content take seconds.
  await checkPortFree(port, config.server.host);
  const server = await createAppServer({ config, logger });
  // SIGTERM/SIGINT: Colyseus stops matchmaking and closes every room (seats stay in the
  // database), then the database closes; within SHUTDOWN_TIMEOUT_SECONDS in any case.
  shutDownInTime(server, config.server.shutdownTimeoutSeconds, logger);
  await server.listen(port, config.server.host);
  process.send?.('ready');
  logStartupSummary(logger, config.http, port, config.server.host);
  void warnIfPublicAddressUnreachable(logger, config.server.publicAddress, port);
} catch (error) {
  // One line for what the operator can fix (a port, a database, Redis, a data folder in use).
  reportStartupFailure(logger, error);
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
