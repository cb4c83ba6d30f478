import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { MAX_MAZE_SIZE, MIN_MAZE_SIZE } from '../../src/maze/generateMaze.ts';
import { newMazeSeed } from '../../src/maze/newMazeSeed.ts';
import type { BaselineClientMessage, BaselineJoinQuery, BaselineServerMessage } from './baselineProtocol.ts';
import { BaselineRoom, type BaselineRules, type RoomSockets } from './BaselineRoom.ts';

/** What a baseline's socket library provides for one joined client. */
export type JoinedSocket = {
  /** Sends to this client only. */
  send(message: BaselineServerMessage): void;
  close(): void;
};

/** Sends one message to every socket of a session's room, the way the socket library does it. */
export type Broadcast = (sessionId: string, message: BaselineServerMessage) => void;

/**
 * What both baseline servers share: the few HTTP routes the load tool uses (`POST /api/sessions`,
 * `GET /api/entities`, `GET /health`, and `GET /metrics` with prom-client's Node.js metrics, as the
 * labyrinth server has them), sessions in memory, and a room per session created on first join.
 */
export class BaselineServer {
  readonly http: Server;
  readonly #rules: BaselineRules;
  readonly #broadcast: Broadcast;
  readonly #sessions = new Map<string, { size: number; seed: string }>();
  readonly #rooms = new Map<string, { room: BaselineRoom; sockets: Map<string, JoinedSocket> }>();
  readonly #metrics = new Registry();

  constructor(rules: BaselineRules, broadcast: Broadcast) {
    this.#rules = rules;
    this.#broadcast = broadcast;
    collectDefaultMetrics({ register: this.#metrics });
    this.http = createServer((req, res) => void this.#route(req, res));
  }

  /** A client connected with its join query: seats it, or refuses with an error message and closes. */
  join(query: Partial<BaselineJoinQuery>, socket: JoinedSocket): { message(data: BaselineClientMessage): void; closed(): void } | undefined {
    const session = query.sessionId ? this.#sessions.get(query.sessionId) : undefined;
    if (!session || !query.sessionId || !query.clientId) {
      socket.send({ t: 'error', code: session ? '400' : '404', message: 'unknown session or missing clientId' });
      socket.close();
      return undefined;
    }
    const { sessionId, clientId } = query;
    let entry = this.#rooms.get(sessionId);
    if (!entry) {
      const sockets = new Map<string, JoinedSocket>();
      const roomSockets: RoomSockets = {
        broadcast: (message) => this.#broadcast(sessionId, message),
        send: (id, message) => sockets.get(id)?.send(message),
      };
      entry = { room: new BaselineRoom(session.size, session.seed, this.#rules, roomSockets), sockets };
      this.#rooms.set(sessionId, entry);
    }
    const { room, sockets } = entry;
    sockets.get(clientId)?.close();
    sockets.set(clientId, socket);
    room.join(clientId);
    return {
      message: (data) => room.handle(clientId, data),
      closed: () => {
        if (sockets.get(clientId) !== socket) return;
        sockets.delete(clientId);
        room.leave(clientId);
        if (room.empty) this.#rooms.delete(sessionId);
      },
    };
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const path = req.url?.split('?')[0];
    if (req.method === 'GET' && path === '/health') return json(200, { status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
    if (req.method === 'GET' && path === '/api/entities') return json(200, { entities: [] });
    if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': this.#metrics.contentType }).end(await this.#metrics.metrics());
      return;
    }
    if (req.method === 'POST' && path === '/api/sessions') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const size = Number((JSON.parse(body || '{}') as { size?: unknown }).size);
      if (!Number.isInteger(size) || size < MIN_MAZE_SIZE || size > MAX_MAZE_SIZE) return json(422, { error: { code: 'invalid_input', message: 'size' } });
      const session = { id: randomUUID(), size, seed: newMazeSeed() };
      this.#sessions.set(session.id, session);
      return json(201, session);
    }
    json(404, { error: { code: 'not_found', message: `${req.method} ${path}` } });
  }
}

/** The rules both baselines play by, from the same variables as the labyrinth server. */
export function baselineRulesFromEnvironment(): BaselineRules {
  return {
    countdownMs: Number(process.env.COUNTDOWN_SECONDS ?? 3) * 1000,
    moveCooldownMs: Number(process.env.MOVE_COOLDOWN_MS ?? 150),
  };
}

/** Listens on PORT (default 2730) and says so on stdout. */
export function listen(server: BaselineServer, name: string): void {
  const port = Number(process.env.PORT ?? 2730);
  server.http.listen(port, '0.0.0.0', () => console.log(`${name} baseline listening on ${port}`));
}
