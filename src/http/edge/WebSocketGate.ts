import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../logger.ts';
import { errorBody } from '../plumbing/errorResponses.ts';
import type { OriginPolicy } from './OriginPolicy.ts';

/** What completes (or refuses) one WebSocket upgrade request. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export type WebSocketGateOptions = {
  policy: OriginPolicy;
  /** Open sockets, rooms and push channel together, one client address may hold. */
  maxPerAddress: number;
  addressOf: (req: IncomingMessage) => string;
  /** Counts a room join for an address; resolves to seconds to wait when over the limit. */
  roomJoin: (address: string) => Promise<number | undefined>;
  logger: Logger;
};

/**
 * The one listener of the HTTP server's WebSocket upgrades. It screens each before anything else
 * sees it: a page of a foreign origin is refused (403), an address already holding
 * `maxPerAddress` open sockets is refused (429), and so is one opening room sockets (joins) faster
 * than its rate limit (429 with Retry-After). Refusals are JSON error answers. What passes goes to
 * the old push channel (`/ws/{id}`) or to Colyseus's transport. A socket counts against its
 * address from the upgrade until its connection closes.
 */
export class WebSocketGate {
  readonly #options: WebSocketGateOptions;
  readonly #open = new Map<string, number>();

  constructor(options: WebSocketGateOptions) {
    this.#options = options;
  }

  attach(server: HttpServer, routes: { isPush: (req: IncomingMessage) => boolean; push: UpgradeHandler; room: UpgradeHandler }): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // Until a handler takes the socket over, a reset must not become an unhandled error.
      const destroy = () => socket.destroy();
      socket.on('error', destroy);
      const isPush = routes.isPush(req);
      this.#screen(req, socket, isPush)
        .then((admitted) => {
          socket.removeListener('error', destroy);
          if (admitted && !socket.destroyed) (isPush ? routes.push : routes.room)(req, socket, head);
        })
        .catch((error: unknown) => {
          this.#options.logger.error({ err: error }, 'WebSocket upgrade failed');
          socket.destroy();
        });
    });
  }

  /** Open sockets of one address. */
  openFrom(address: string): number {
    return this.#open.get(address) ?? 0;
  }

  async #screen(req: IncomingMessage, socket: Duplex, isPush: boolean): Promise<boolean> {
    const { policy, maxPerAddress, addressOf, roomJoin, logger } = this.#options;
    const origin = req.headers.origin;
    const address = addressOf(req);
    const path = (req.url ?? '/').split('?')[0]; // the query may hold a reconnection token
    if (!policy.allows(origin, req.headers.host)) {
      logger.warn({ origin, address, path }, 'refused a WebSocket from a foreign origin');
      return refuse(socket, 403, errorBody('origin_not_allowed', `WebSocket connections from ${origin} are not allowed`, 'origin'));
    }
    if (this.openFrom(address) >= maxPerAddress) {
      logger.warn({ address, open: this.openFrom(address) }, 'refused a WebSocket: too many from one address');
      return refuse(socket, 429, errorBody('too_many_sockets', `At most ${maxPerAddress} open WebSockets per client address`));
    }
    // Reconnections take back a seat already counted; every other room socket is a join.
    const reconnecting = new URL(req.url ?? '/', 'http://x').searchParams.has('reconnectionToken');
    const wait = isPush || reconnecting ? undefined : await roomJoin(address);
    if (wait !== undefined) {
      logger.warn({ address }, 'refused a room join: over the join rate limit');
      return refuse(socket, 429, errorBody('rate_limited', 'Too many joins from this address'), { 'Retry-After': String(wait) });
    }
    this.#count(address, socket);
    return true;
  }

  #count(address: string, socket: Duplex): void {
    this.#open.set(address, this.openFrom(address) + 1);
    socket.once('close', () => {
      const left = this.openFrom(address) - 1;
      if (left > 0) this.#open.set(address, left);
      else this.#open.delete(address);
    });
  }
}

function refuse(socket: Duplex, status: 403 | 429, body: object, headers: Record<string, string> = {}): false {
  const json = JSON.stringify(body);
  const reason = status === 403 ? 'Forbidden' : 'Too Many Requests';
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\n${extra}Connection: close\r\n\r\n${json}`,
  );
  return false;
}
