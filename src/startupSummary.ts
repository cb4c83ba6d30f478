import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

/**
 * The one block a person needs once the server listens: where the client demo, the API docs and
 * the room monitor are, and the admin password when it was generated for this run (a password the
 * operator set is never logged).
 */
export function logStartupSummary(
  logger: Logger,
  config: Pick<Config['http'], 'adminPassword' | 'adminPasswordGenerated'>,
  port: number,
  host: string | undefined,
): void {
  const base = `http://${browsableHost(host)}:${port}`;
  const generated = config.adminPasswordGenerated ? { generatedAdminPassword: config.adminPassword } : {};
  logger.info(
    { port, demo: `${base}/`, apiDocs: `${base}/docs`, monitor: `${base}/monitor`, adminUser: 'admin', ...generated },
    `labyrinth server listening on ${base}`,
  );
  if (config.adminPasswordGenerated && !logger.isLevelEnabled('info')) {
    // LOG_LEVEL=warn hides the block, and without the password the admin routes are out of reach.
    logger.warn({ generatedAdminPassword: config.adminPassword }, 'ADMIN_PASSWORD is not set: generated one for this run');
  }
}

/**
 * The host to put in the URLs: `localhost` when listening on loopback or every interface (reachable
 * from this machine either way), else the address listened on (IPv6 in brackets).
 */
function browsableHost(host: string | undefined): string {
  if (host === undefined || ['127.0.0.1', '::1', 'localhost', '0.0.0.0', '::'].includes(host)) return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
