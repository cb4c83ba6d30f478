import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { WebSocketTransport } from '@colyseus/ws-transport';
import type { WebSocket } from 'ws';

/** Told about every WebSocket message between Colyseus and its clients (for metrics). */
export type TransportTraffic = { messageReceived(): void; messageSent(): void };

/**
 * Colyseus's WebSocket transport on our own HTTP server, handling only the upgrade requests
 * `accepts` lets through (others, like the old push channel, are served next to it). Attaching
 * to an existing server normally leaves that server open at shutdown; this server is ours, so the
 * transport closes it.
 */
class SharedServerTransport extends WebSocketTransport {
  constructor(server: HttpServer, accepts: (req: IncomingMessage) => boolean, traffic: TransportTraffic) {
    super({ noServer: true });
    this.attachToServer(server, { filter: accepts });
    this.shouldShutdownServer = true;
    // Ahead of Colyseus's own connection listener, so that the join handshake is counted too.
    this.wss.prependListener('connection', (socket: WebSocket) => countTraffic(socket, traffic));
  }
}

export function createTransport(
  server: HttpServer,
  accepts: (req: IncomingMessage) => boolean,
  traffic: TransportTraffic,
): WebSocketTransport {
  return new SharedServerTransport(server, accepts, traffic);
}

/**
 * ws has an event for received messages but none for sent ones. Everything Colyseus sends a client
 * (patches, room messages, replies) goes through that client's `socket.send`, so it is counted there.
 */
function countTraffic(socket: WebSocket, traffic: TransportTraffic): void {
  socket.on('message', () => traffic.messageReceived());
  const send = socket.send.bind(socket) as (...args: unknown[]) => void;
  socket.send = ((...args: unknown[]) => {
    traffic.messageSent();
    send(...args);
  }) as WebSocket['send'];
}
