import { matchMaker, ServerError } from '@colyseus/core';
import { joinRefusalMessage } from '../../rooms/joinRefusalCode.ts';
import type { RedisHealth } from './RedisHealth.ts';

/** The health `POST /matchmake/*` follows; set by `refuseMatchmakingWhileRedisIsDown`. */
let current: RedisHealth | undefined;
let gateInstalled = false;

/** What a player is told while Redis is away: 503, as for an overloaded server, and a code to match on. */
function matchmakingUnavailable(): ServerError {
  return new ServerError(503, joinRefusalMessage('matchmaking_unavailable', 'This server cannot reach Redis, which matchmaking needs: try again shortly'));
}

/**
 * Matchmaking (joinOrCreate, join, reconnect, …) needs the room listings in Redis. While a
 * connection to it is down, Colyseus would queue each request's Redis commands in ioredis and
 * fail it after about 8 s with ioredis's own message (`MaxRetriesPerRequestError`, code 523).
 * Here it is refused at once with 503 `matchmaking_unavailable`, and a request that was under way
 * when Redis went gets the same answer. Rooms already running are not touched: their players'
 * sockets are in their process. Colyseus keeps its matchmaking controller process-wide, so the
 * last server created in a process decides (`health` undefined: one process without Redis).
 */
export function refuseMatchmakingWhileRedisIsDown(health: RedisHealth | undefined): void {
  current = health;
  if (gateInstalled) return;
  gateInstalled = true;
  const controller = matchMaker.controller;
  const invokeMethod = controller.invokeMethod.bind(controller);
  controller.invokeMethod = async (method, roomName, clientOptions, authContext): Promise<unknown> => {
    if (current && !current.up) throw matchmakingUnavailable();
    try {
      return (await invokeMethod(method, roomName, clientOptions, authContext)) as unknown;
    } catch (error) {
      if (current && !current.up) throw matchmakingUnavailable();
      throw error;
    }
  };
}
