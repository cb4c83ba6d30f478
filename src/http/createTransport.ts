import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { WebSocketTransport } from '@colyseus/ws-transport';

/**
 * Colyseus's WebSocket transport on our own HTTP server, handling only the upgrade requests
 * `accepts` lets through (others, like the old push channel, are served next to it). Attaching
 * to an existing server normally leaves that server open at shutdown; this server is ours, so the
 * transport closes it.
 */
class SharedServerTransport extends WebSocketTransport {
  constructor(server: HttpServer, accepts: (req: IncomingMessage) => boolean) {
    super({ noServer: true });
    this.attachToServer(server, { filter: accepts });
    this.shouldShutdownServer = true;
  }
}

export function createTransport(server: HttpServer, accepts: (req: IncomingMessage) => boolean): WebSocketTransport {
  return new SharedServerTransport(server, accepts);
}
