import { CloseCode, Room, ServerError, type Client, type Deferred } from '@colyseus/core';
import { z } from 'zod';
import { DomainError, ForbiddenError, httpStatusOf } from '../src/domainErrors.ts';
import type { ClientIdentityService } from '../src/identity/ClientIdentityService.ts';
import { CLIENT_ID_PATTERN } from '../src/identity/ClientIdentityService.ts';
import type { Logger } from '../src/logger.ts';
import { toReply, type BridgeReply } from '../src/sessions/bridgeReply.ts';
import { allPlayersReady, type Readiness } from '../src/sessions/readiness.ts';
import { readinessChannel } from '../src/sessions/readinessChannel.ts';
import type { SeatedPlayer, SessionService } from '../src/sessions/SessionService.ts';
import { LabyrinthState, PlayerState } from './schema/LabyrinthState.ts';

/** The name clients join: `client.joinOrCreate("labyrinth", { sessionId, clientId })`. */
export const LABYRINTH_ROOM = 'labyrinth';

/** Close code sent to every client when an admin deletes the session. The SDK does not reconnect. */
export const SESSION_DELETED_CLOSE_CODE = 4404;
/** Close code sent to an older connection when the same clientId joins again (e.g. a page reload). */
export const SEAT_TAKEN_OVER_CLOSE_CODE = 4409;

/** Options of `joinOrCreate("labyrinth", …)` and `joinById(sessionId, …)`. */
export type LabyrinthJoinOptions = {
  /** The game session to join (from `POST /api/sessions`). */
  sessionId: string;
  /** The caller's stable id (e.g. kept in local storage). */
  clientId: string;
  /** The token the server sent in `welcome` on this clientId's first join. */
  clientToken?: string;
  /** Display name, 1..32 characters; defaults to the clientId. */
  name?: string;
};

/** client → server `ready`: set (not flip) the sender's readiness. */
export type ReadyMessage = { ready: boolean };
/** server → client `welcome`, sent once after each join. Keep `clientToken` for later joins. */
export type WelcomeMessage = { sessionId: string; clientId: string; clientToken: string };
/** server → client `error`: a refused message; nothing changed. */
export type RoomErrorMessage = { code: string; message: string };

/** What a room needs from the rest of the server, handed over by `src/app.ts`. */
export type LabyrinthRoomServices = {
  sessions: SessionService;
  identity: ClientIdentityService;
  reconnectSeconds: number;
  logger: Logger;
};

type JoinAuth = { clientId: string; clientToken: string; seat: SeatedPlayer };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const createOptionsSchema = z.object({ sessionId: z.string().regex(UUID, 'must be a session id (UUID)') });
const joinOptionsSchema = createOptionsSchema.extend({
  clientId: z.string().regex(CLIENT_ID_PATTERN, 'must be 1 to 128 letters, digits or _-.:@'),
  clientToken: z.string().max(256).optional(),
  name: z.string().trim().min(1).max(32).optional(),
});
const readyMessageSchema = z.object({ ready: z.boolean() });

/**
 * One game session, live. The room is the only owner of its session's live state: socket
 * clients change it through messages, HTTP clients through the bridge methods below (called with
 * `matchMaker.remoteRoomCall`, possibly from another process). Every change of membership or
 * readiness is written to the database in order, so the room can be rebuilt from it at any time.
 */
export class LabyrinthRoom extends Room<{ state: LabyrinthState }> {
  /** Players and spectators together. */
  override maxClients = 32;
  /** 20 state patches per second. */
  override patchRate = 50;
  /** Beyond this a client is disconnected by Colyseus: no client needs more in a lobby. */
  override maxMessagesPerSecond = 20;
  override seatReservationTimeout = 15;
  override state = new LabyrinthState();

  /** Injected by `labyrinthRoomWith()`. */
  declare protected readonly services: LabyrinthRoomServices;

  /** The live socket of each clientId (a reload replaces it). */
  readonly #sockets = new Map<string, Client>();
  /** Colyseus session id → our clientId; survives SDK reconnections, which keep the session id. */
  readonly #clientIds = new Map<string, string>();
  readonly #reconnections = new Map<string, Deferred<Client>>();
  readonly #tokens = new Map<string, string>();
  /** Database writes, chained so they land in the order the state changed. */
  #writes: Promise<unknown> = Promise.resolve();
  /** Set when the room closes for good: its connections go, but nothing is unseated. */
  #closing: 'session deleted' | 'server shutdown' | undefined;

  override messages = {
    ready: (client: Client, message: ReadyMessage) => this.#onReady(client, message),
    /** Request/response (`await room.request("whoami")`): the same data as `welcome`. */
    whoami: (client: Client): WelcomeMessage | RoomErrorMessage => this.#welcomeFor(client),
  };

  /** Runs when the first join (or the HTTP bridge) finds no room for the session: load it. */
  override async onCreate(options: unknown): Promise<void> {
    const { sessionId } = parseOptions(createOptionsSchema, options);
    const snapshot = await this.#guard(() => this.services.sessions.loadSnapshot(sessionId));
    // The roomId is the session id, so joinById(sessionId) works and the matchmaker's driver
    // refuses a second room for the same session (a racing duplicate is discarded).
    this.roomId = snapshot.id;
    this.state.assign({
      sessionId: snapshot.id,
      labyrinthId: snapshot.labyrinthId,
      seed: snapshot.seed,
      size: snapshot.size,
      startX: snapshot.startX,
      startY: snapshot.startY,
      phase: 'lobby',
      allReady: false,
    });
    for (const seat of snapshot.players) {
      this.#placePlayer(seat, false);
    }
    this.#refresh();
  }

  /** Runs before a client takes its seat: checks the options and identity, and seats it durably. */
  override async onAuth(_client: Client, options: unknown): Promise<JoinAuth> {
    const join = parseOptions(joinOptionsSchema, options);
    if (join.sessionId !== this.state.sessionId) {
      throw new ServerError(400, `sessionId ${join.sessionId} does not match this room (${this.state.sessionId})`);
    }
    const { clientToken } = await this.#guard(() => this.services.identity.authenticate(join.clientId, join.clientToken));
    const seat = await this.#guard(() => this.#seatDurably(join.clientId, join.name));
    return { clientId: join.clientId, clientToken, seat };
  }

  /** The client is in: show its player as connected and hand it its token. */
  override onJoin(client: Client, _options: LabyrinthJoinOptions, auth: JoinAuth): void {
    const { clientId } = auth;
    const previous = this.#sockets.get(clientId);
    this.#reconnections.get(clientId)?.reject(new Error('seat taken over'));
    this.#reconnections.delete(clientId);
    this.#sockets.set(clientId, client);
    this.#clientIds.set(client.sessionId, clientId);
    previous?.leave(SEAT_TAKEN_OVER_CLOSE_CODE, 'This seat was taken over by a newer connection');
    this.#placePlayer(auth.seat, true);
    this.#tokens.set(clientId, auth.clientToken);
    // After the next patch, so that the SDK has had time to register its `welcome` handler.
    client.send('welcome', this.#welcomeFor(client), { afterNextPatch: true });
    this.#refresh();
  }

  /** The socket dropped without leaving: keep the seat and readiness while the SDK reconnects. */
  override onDrop(client: Client): void {
    const clientId = this.#currentClientId(client);
    if (clientId === undefined) return;
    this.#setConnected(clientId, false);
    this.#reconnections.set(clientId, this.allowReconnection(client, this.services.reconnectSeconds));
  }

  override onReconnect(client: Client): void {
    const clientId = this.#clientIds.get(client.sessionId);
    if (clientId === undefined) return;
    this.#reconnections.delete(clientId);
    this.#sockets.set(clientId, client);
    this.#setConnected(clientId, true);
  }

  /** A deliberate leave, or a drop that did not come back in time: the seat is freed. */
  override async onLeave(client: Client): Promise<void> {
    const clientId = this.#currentClientId(client);
    this.#clientIds.delete(client.sessionId);
    if (clientId === undefined) return;
    this.#sockets.delete(clientId);
    this.#reconnections.delete(clientId);
    this.#tokens.delete(clientId);
    await this.#unseat(clientId);
  }

  /**
   * The server is shutting down: Colyseus closes every connection (SERVER_SHUTDOWN, which the SDK
   * reports as a leave). Seats and readiness stay in the database, so the session resumes in
   * whichever process next creates its room.
   */
  override onBeforeShutdown(): void {
    this.#closing = 'server shutdown';
    super.onBeforeShutdown();
  }

  // ---- the HTTP bridge: called through matchMaker.remoteRoomCall, replies are plain data ----

  /** Seats a client that uses HTTP instead of a socket (shown as not connected). */
  async joinOverHttp(clientId: string, name: string | null): Promise<BridgeReply<SeatedPlayer>> {
    return toReply(async () => {
      const seat = await this.#seatDurably(clientId, name ?? undefined);
      if (!this.state.players.has(clientId)) this.#placePlayer(seat, false);
      this.#refresh();
      return seat;
    });
  }

  /** Frees a client's seat; a socket it holds is closed as a consented leave. */
  async leaveOverHttp(clientId: string): Promise<BridgeReply<boolean>> {
    return toReply(async () => {
      const socket = this.#sockets.get(clientId);
      this.#sockets.delete(clientId);
      this.#reconnections.get(clientId)?.reject(new Error('left over HTTP'));
      this.#reconnections.delete(clientId);
      const removed = await this.#unseat(clientId);
      socket?.leave(CloseCode.CONSENTED, 'Left over HTTP');
      return removed;
    });
  }

  async setReadyOverHttp(clientId: string, ready: boolean): Promise<BridgeReply<Readiness>> {
    return toReply(async () => {
      if (!this.state.players.has(clientId)) {
        throw new ForbiddenError('not_seated', `Client ${clientId} is not seated in session ${this.state.sessionId}`, 'client_id');
      }
      await this.#setReady(clientId, ready);
      return this.readiness();
    });
  }

  /** Who is seated and ready, in seating order. */
  readiness(): Readiness {
    const players = [...this.state.players.values()].map((player) => ({ clientId: player.clientId, ready: player.ready }));
    return { players, allReady: this.state.allReady };
  }

  /** The session was deleted: close every connection with a code the SDK will not retry. */
  async closeForDeletedSession(): Promise<BridgeReply<boolean>> {
    return toReply(async () => {
      this.#closing = 'session deleted';
      await this.disconnect(SESSION_DELETED_CLOSE_CODE);
      return true;
    });
  }

  // ---- internals ----

  #welcomeFor(client: Client): WelcomeMessage | RoomErrorMessage {
    const clientId = this.#currentClientId(client);
    const clientToken = clientId === undefined ? undefined : this.#tokens.get(clientId);
    if (clientId === undefined || clientToken === undefined) {
      return { code: 'not_seated', message: 'This connection holds no seat' };
    }
    return { sessionId: this.state.sessionId, clientId, clientToken };
  }

  #onReady(client: Client, message: unknown): void {
    const parsed = readyMessageSchema.safeParse(message);
    if (!parsed.success) {
      this.#sendError(client, 'invalid_message', 'ready expects {"ready": true|false}');
      return;
    }
    const clientId = this.#currentClientId(client);
    if (clientId === undefined || !this.state.players.has(clientId)) {
      this.#sendError(client, 'not_seated', 'Only a seated player can change readiness');
      return;
    }
    void this.#setReady(clientId, parsed.data.ready).catch(() => {
      this.#sendError(client, 'not_saved', 'Readiness could not be saved; try again');
    });
  }

  async #setReady(clientId: string, ready: boolean): Promise<void> {
    const player = this.state.players.get(clientId);
    if (!player || player.ready === ready) return;
    player.ready = ready;
    this.#refresh();
    await this.#write(() => this.services.sessions.setReady(this.state.sessionId, clientId, ready));
  }

  #seatDurably(clientId: string, name: string | undefined): Promise<SeatedPlayer> {
    const displayName = name ?? this.state.players.get(clientId)?.name ?? clientId;
    return this.#write(() => this.services.sessions.seatClient({ sessionId: this.state.sessionId, clientId, name: displayName }));
  }

  async #unseat(clientId: string): Promise<boolean> {
    const wasSeated = this.state.players.delete(clientId);
    this.#refresh();
    const removed = await this.#write(() => this.services.sessions.unseatClient(this.state.sessionId, clientId));
    return wasSeated || removed;
  }

  #placePlayer(seat: SeatedPlayer, connected: boolean): void {
    const player = this.state.players.get(seat.clientId) ?? new PlayerState();
    player.assign({ clientId: seat.clientId, name: seat.name, ready: seat.ready, connected, x: seat.x, y: seat.y });
    this.state.players.set(seat.clientId, player);
  }

  #setConnected(clientId: string, connected: boolean): void {
    const player = this.state.players.get(clientId);
    if (player) player.connected = connected;
    this.#refresh();
  }

  /** The clientId a socket acts for, or undefined when that socket no longer holds the seat. */
  #currentClientId(client: Client): string | undefined {
    const clientId = this.#clientIds.get(client.sessionId);
    if (clientId === undefined || this.#closing) return undefined;
    return this.#sockets.get(clientId)?.sessionId === client.sessionId ? clientId : undefined;
  }

  /** Recomputes what follows from the players and tells the matchmaker and old-API listeners. */
  #refresh(): void {
    this.state.allReady = allPlayersReady(this.state.players.values());
    const players = [...this.state.players.values()];
    const metadata = {
      players: players.length,
      connected: players.filter((player) => player.connected).length,
      allReady: this.state.allReady,
    };
    this.setMetadata(metadata).catch((error: unknown) => this.services.logger.warn({ err: error }, 'room metadata not updated'));
    this.presence.publish(readinessChannel(this.state.sessionId), this.readiness());
  }

  #write<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#writes.then(task);
    this.#writes = result.catch((error: unknown) => {
      this.services.logger.error({ err: error, sessionId: this.state.sessionId }, 'session write failed');
    });
    return result;
  }

  #sendError(client: Client, code: string, message: string): void {
    client.send('error', { code, message } satisfies RoomErrorMessage);
  }

  /** Domain errors become join errors with an HTTP-like code (400, 403, 404, 409). */
  async #guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      // Bad options are a 400 at join time (422 is for HTTP bodies).
      if (error instanceof DomainError) {
        const status = httpStatusOf(error);
        throw new ServerError(status === 422 ? 400 : status, error.message);
      }
      throw error;
    }
  }
}

/** The room class with its services bound; what `src/app.ts` registers as `labyrinth`. */
export function labyrinthRoomWith(services: LabyrinthRoomServices) {
  return class ConfiguredLabyrinthRoom extends LabyrinthRoom {
    protected override readonly services = services;
  };
}

function parseOptions<Schema extends z.ZodType>(schema: Schema, options: unknown): z.output<Schema> {
  const parsed = schema.safeParse(options ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'options';
    throw new ServerError(400, `Invalid join options: ${field} ${issue?.message ?? 'is invalid'}`);
  }
  return parsed.data;
}
