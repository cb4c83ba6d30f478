import { ServerError } from '@colyseus/core';
import { joinRefusalMessage } from '../domainErrors.ts';
import type { MatchmakingRefusal } from '../upstream/matchmakerController.ts';
import type { RedisHealth } from './RedisHealth.ts';

/**
 * Matchmaking (joinOrCreate, join, reconnect, …) needs the room listings in Redis. While a
 * connection to it is down, Colyseus would queue each request's Redis commands in ioredis and
 * fail it after about 8 s with ioredis's own message (`MaxRetriesPerRequestError`, code 523).
 * Here it is refused at once with 503 `matchmaking_unavailable`, and a request that was under way
 * when Redis went gets the same answer (src/upstream/matchmakerController.ts asks again on a
 * failure). Rooms already running are not touched: their players' sockets are in their process.
 */
export function refuseMatchmakingWhileRedisIsDown(health: RedisHealth): MatchmakingRefusal {
  // What a player is told: 503, as for an overloaded server, and a code to match on.
  return () =>
    health.up
      ? undefined
      : new ServerError(503, joinRefusalMessage('matchmaking_unavailable', 'This server cannot reach Redis, which matchmaking needs: try again shortly'));
}
