import type { Logger } from './logger.ts';

/**
 * A start failure the operator causes and can fix (a port in use, a database out of reach, a data
 * folder another process holds): its message is the whole report, one line naming what to fix.
 * Anything else that stops a start is a bug, and keeps its stack.
 */
export class StartupFailure extends Error {
  override name = 'StartupFailure';
}

/**
 * Logs why the start failed, once: a StartupFailure as its one line (with its stack and cause only
 * at LOG_LEVEL=debug, for whoever digs further), any other error with its stack.
 */
export function reportStartupFailure(logger: Logger, error: unknown): void {
  if (error instanceof StartupFailure) {
    logger.fatal(logger.isLevelEnabled('debug') ? { err: error } : {}, error.message);
  } else {
    logger.fatal({ err: error }, 'failed to start');
  }
}
