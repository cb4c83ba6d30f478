import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { matchMaker } from '@colyseus/core';
import { WebSocketServer, type WebSocket } from 'ws';
import { NotFoundError } from '../../domainErrors.ts';
import type { Logger } from '../../logger.ts';
import { readinessChannel } from '../../../rooms/readinessChannel.ts';
import type { SessionRooms } from '../../../rooms/SessionRooms.ts';
import type { Readiness } from '../../game/readiness.ts';
import type { UpgradeHandler } from '../edge/WebSocketGate.ts';
import { legacyReadiness } from './legacyAnswers.ts';

const PUSH_PATH = /^\/ws\/([^/?#]+)\/?(?:\?.*)?$/;
/** Sockets that miss two heartbeats are dropped (the old server never dropped dead sockets). */
const HEARTBEAT_MS = 15_000;
/**
 * Client messages are ignored, so none needs room: a larger frame closes the socket (1009) before
 * it is buffered, instead of ws's default of 100 MiB.
 */
export const PUSH_MAX_PAYLOAD_BYTES = 1024;

/** Whether an upgrade request is for the old push channel rather than for Colyseus. */
export function isLegacyPushRequest(req: IncomingMessage): boolean {
  return PUSH_PATH.test(req.url ?? '');
}

/**
 * The old push channel: a plain WebSocket at `/ws/{session_id}` that receives
 * `{players:[{client_id, ready}], all_ready}` on connect and after every change. Rooms publish each
 * change on Colyseus presence, so this works whichever process runs the room. Client messages are
 * ignored, as before.
 */
export function attachLegacyPushChannel(server: HttpServer, rooms: SessionRooms, logger: Logger): UpgradeHandler {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: PUSH_MAX_PAYLOAD_BYTES });
  const alive = new WeakSet<WebSocket>();

  // Called by the WebSocketGate (which screened origin and address) for upgrades to /ws/{id}.
  const handleUpgrade: UpgradeHandler = (req, socket, head) => {
    const match = PUSH_PATH.exec(req.url ?? '');
    if (!match) return;
    // A broken percent escape would throw here, in an event listener, and end the process.
    const sessionId = safeDecode(match[1]!);
    if (sessionId === undefined) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    rooms
      .readiness(sessionId)
      .then((current) => {
        sockets.handleUpgrade(req, socket, head, (ws) => subscribe(ws, sessionId, current));
      })
      .catch((error: unknown) => {
        const status = error instanceof NotFoundError ? '404 Not Found' : '500 Internal Server Error';
        socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      });
  };

  function subscribe(ws: WebSocket, sessionId: string, current: Readiness): void {
    const channel = readinessChannel(sessionId);
    const forward = (readiness: Readiness) => ws.send(JSON.stringify(legacyReadiness(readiness)));
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
    ws.on('close', () => void matchMaker.presence.unsubscribe(channel, forward));
    ws.on('error', (error) => logger.debug({ err: error, sessionId }, 'push socket error'));
    void matchMaker.presence.subscribe(channel, forward);
    forward(current);
  }

  const heartbeat = setInterval(() => {
    for (const ws of sockets.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  server.on('close', () => {
    clearInterval(heartbeat);
    for (const ws of sockets.clients) ws.terminate();
  });
  return handleUpgrade;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
