import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { CloseCode } from '@colyseus/core';
import { WebSocketTransport } from '@colyseus/ws-transport';
import type { WebSocket } from 'ws';
import { TokenBuckets } from '../../game/TokenBuckets.ts';
import type { Logger } from '../../logger.ts';

/**
 * The most messages one room socket may send per second (room messages, requests and pings alike),
 * with a burst of as many. Counted here, on a monotonic clock and excusing the server's lateness,
 * instead of by Colyseus's `maxMessagesPerSecond`, which counts against a room clock that stops
 * while the event loop is late and so evicted well-behaved clients of a lagging server.
 */
export const MAX_MESSAGES_PER_SECOND = 20;
/** The largest frame a room socket may send (Colyseus's default, stated so that clients are told it: `whoami`); a larger one closes the socket. */
export const MAX_MESSAGE_BYTES = 4 * 1024;

/** What the transport reports: traffic and refusals (metrics), and how late the event loop runs. */
export type TransportObservers = {
  messageReceived(): void;
  messageSent(): void;
  /** A server-initiated close of a room socket, by close code. */
  connectionClosed(code: number): void;
  /** How long a message handled now may have waited for the event loop (ms). */
  lateness(now: number): number;
  logger: Logger;
};

/**
 * Colyseus's WebSocket transport on our own HTTP server. It listens for no upgrade itself: the
 * WebSocketGate screens every upgrade (origins, sockets per address, join rate) and hands room
 * sockets to `handleUpgrade`, the old push channel's to that channel. Attaching to an existing
 * server normally leaves that server open at shutdown; this server is ours, so the transport closes it.
 */
export class SharedServerTransport extends WebSocketTransport {
  constructor(server: HttpServer, observers: TransportObservers) {
    super({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
    // Attached for its heartbeat and shutdown; every upgrade comes through handleUpgrade instead.
    this.attachToServer(server, { filter: () => false });
    this.shouldShutdownServer = true;
    // Ahead of Colyseus's own connection listener, so that the join handshake is counted and limited too.
    this.wss.prependListener('connection', (socket: WebSocket, req: IncomingMessage) => watchSocket(socket, req, observers));
  }

  /** Completes a room socket's upgrade, as Colyseus's own upgrade listener would. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }
}

export function createTransport(server: HttpServer, observers: TransportObservers): SharedServerTransport {
  return new SharedServerTransport(server, observers);
}

/**
 * ws has events for what a socket receives but none for what the server sends or closes, and no way
 * to stop a message before Colyseus's listener sees it. So the socket's own `emit`, `send` and
 * `close` are wrapped: messages are counted and rate limited before anyone handles them (a flood is
 * cut off with 4002, and what it sends meanwhile is dropped), sends are counted, and every close
 * the server starts is logged with its code and reason.
 */
function watchSocket(socket: WebSocket, req: IncomingMessage, observers: TransportObservers): void {
  const { logger } = observers;
  // The path names the room; the query also holds the reconnection token, which stays out of logs.
  const url = new URL(req.url ?? '/', 'http://localhost');
  const context = { path: url.pathname, sessionId: url.searchParams.get('sessionId'), address: req.socket.remoteAddress };
  const limit = new TokenBuckets({ capacity: MAX_MESSAGES_PER_SECOND, refillMs: 1000 / MAX_MESSAGES_PER_SECOND });
  let cutOff = false;

  const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
  socket.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event !== 'message') return emit(event, ...args);
    observers.messageReceived();
    if (cutOff) return false;
    const now = performance.now();
    if (!limit.take('socket', now, observers.lateness(now))) {
      cutOff = true;
      socket.close(CloseCode.WITH_ERROR, `More than ${MAX_MESSAGES_PER_SECOND} messages per second`);
      return false;
    }
    try {
      return emit(event, ...args);
    } catch (error) {
      // Thrown by a listener while decoding what this client sent: an exception here would reach
      // ws's socket handler and end the process. Only this client is cut off.
      logger.warn({ ...context, err: error }, 'a room message could not be handled');
      cutOff = true;
      socket.close(CloseCode.WITH_ERROR, 'Unreadable message');
      return false;
    }
  }) as WebSocket['emit'];

  // Called for every frame to every client (each patch): its arguments named, not gathered into an array.
  const send = socket.send.bind(socket) as (data: unknown, options: unknown, callback: unknown) => void;
  socket.send = ((data: unknown, options: unknown, callback: unknown) => {
    observers.messageSent();
    send(data, options, callback);
  }) as WebSocket['send'];

  const close = socket.close.bind(socket);
  socket.close = (code?: number, reason?: string | Buffer) => {
    const closeCode = code ?? 1000;
    observers.connectionClosed(closeCode);
    const level = closeCode === CloseCode.WITH_ERROR || closeCode === CloseCode.FAILED_TO_RECONNECT ? 'warn' : 'info';
    logger[level]({ ...context, code: closeCode, reason: reason?.toString() }, 'closing a room connection');
    close(code, reason);
  };
}
