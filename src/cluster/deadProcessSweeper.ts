import { matchMaker } from '@colyseus/core';
import type { Logger } from '../logger.ts';
import type { RedisHealth } from './RedisHealth.ts';

/** How often the listings are checked for processes that died without shutting down. */
const CHECK_INTERVAL_MS = 1000;

/**
 * Releases the rooms of processes that died without a graceful shutdown (`kill -9`, a crash, an
 * out-of-memory kill), so that their sessions can be joined again through a surviving process.
 *
 * Colyseus already knows how: `healthCheckAllProcesses()` takes every process that registered in
 * Redis but no longer listens on its IPC channel (Redis drops a dead process's subscriptions as soon
 * as its connection closes), asks it to answer, and when it does not within
 * COLYSEUS_PRESENCE_SHORT_TIMEOUT (2 s) removes its listings. Colyseus runs it only at startup and
 * when a seat reservation times out, which leaves a dead process's sessions blocked (our roomId is the
 * session id, so a stale listing refuses the new room) until someone tries to join, and then
 * costs that join two timeouts. Running it every second frees them within about 3 s of the death.
 * Not while Redis is away (`health`): each check would wait for ioredis's retries and fail, with a
 * warning every few seconds for the whole outage.
 */
export function startDeadProcessSweeper(logger: Logger, health: RedisHealth): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running || !health.up || matchMaker.state !== matchMaker.MatchMakerState.READY) return;
    running = true;
    matchMaker
      .healthCheckAllProcesses()
      .catch((error: unknown) => logger.warn({ err: error }, 'dead process check failed'))
      .finally(() => {
        running = false;
      });
  }, CHECK_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
