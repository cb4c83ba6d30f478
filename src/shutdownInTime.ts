import type { Server } from '@colyseus/core';
import { closeAllDatabases } from './database/openDatabase.ts';
import type { Logger } from './logger.ts';

/**
 * What a SIGTERM or SIGINT does besides Colyseus's own graceful shutdown (stop taking rooms, close
 * every room, its clients getting close code 4001, and wait until each room has stored its last
 * writes): the database closes last, and the process exits after `timeoutSeconds` even if a room
 * never finishes closing. So a stuck shutdown ends with our own log line, before PM2's kill_timeout
 * SIGKILLs the process without one.
 */
export function shutDownInTime(server: Server, timeoutSeconds: number, logger: Logger): void {
  let startedAt: number | undefined;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      if (startedAt !== undefined) return;
      startedAt = Date.now();
      logger.info({ signal }, 'shutting down: closing rooms, then the database');
      const deadline = setTimeout(() => {
        logger.error({ timeoutSeconds }, 'shutdown did not finish in time: exiting now');
        process.exit(1);
      }, timeoutSeconds * 1000);
      deadline.unref();
    });
  }
  server.onShutdown(async () => {
    await closeAllDatabases();
    logger.info({ ms: startedAt === undefined ? undefined : Date.now() - startedAt }, 'shut down');
  });
}
