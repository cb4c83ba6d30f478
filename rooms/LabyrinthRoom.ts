import { CloseCode, Room, ServerError, type Client as ColyseusClient, type Deferred } from '@colyseus/core';
import { z } from 'zod';
import type { ContentService } from '../src/content/ContentService.ts';
import { ConflictError, DomainError, ForbiddenError, httpStatusOf, NotFoundError } from '../src/domainErrors.ts';
import { CHAT_HISTORY_LINES, cleanChatText, MAX_CHAT_LENGTH } from '../src/game/chatLine.ts';
import { cellKey, cellsSeenFrom } from '../src/game/fogOfWar.ts';
import { isExit, tileAt, tryMove, type Cell } from '../src/game/moveRules.ts';
import { TokenBuckets } from '../src/game/TokenBuckets.ts';
import { DIRECTIONS, type Direction } from '../src/maze/directions.ts';
import { generateMaze, type Maze } from '../src/maze/generateMaze.ts';
import type { ClientIdentityService } from '../src/identity/ClientIdentityService.ts';
import { CLIENT_ID_PATTERN } from '../src/identity/ClientIdentityService.ts';
import type { Logger } from '../src/logger.ts';
import { toReply, type BridgeReply } from '../src/sessions/bridgeReply.ts';
import { allPlayersReady, type Readiness } from '../src/sessions/readiness.ts';
import { readinessChannel } from '../src/sessions/readinessChannel.ts';
import type { SeatedPlayer, SessionService, SessionSnapshot } from '../src/sessions/SessionService.ts';
import { SEAT_TAKEN_OVER_CLOSE_CODE, SESSION_DELETED_CLOSE_CODE } from './closeCodes.ts';
import { ChatLine, LabyrinthState, PlayerState, RevealedTile, SpectatorState } from './schema/LabyrinthState.ts';

/** The name clients join: `client.joinOrCreate("labyrinth", { sessionId, clientId })`. */
export const LABYRINTH_ROOM = 'labyrinth';

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
  /** Watch only. Joining while a round is under way makes a newcomer a spectator anyway. */
  spectator?: boolean;
};

/** client → server `ready`: set (not flip) the sender's readiness. */
export type ReadyMessage = { ready: boolean };
/** client → server `pick_character`: play a seeded `player`-type entity (lobby only, unique). */
export type PickCharacterMessage = { entityId: string };
/** client → server `move`: one step through an open side of your tile (playing only). */
export type MoveMessage = { dir: Direction };
/** client → server `chat`: 1..200 characters after trimming. */
export type ChatMessage = { text: string };
/** server → client `chat`: a line everyone receives. */
export type ChatBroadcast = { from: string; name: string; text: string; at: number };
/** server → client `welcome`, sent once after each join. Keep `clientToken` for later joins. */
export type WelcomeMessage = { sessionId: string; clientId: string; clientToken: string; spectator: boolean };
/** server → client `error`: a refused message; nothing changed. */
export type RoomErrorMessage = { code: string; message: string };

/** Messages the server sends, so `client.send` here and `room.onMessage` in the SDK are typed. */
type ServerMessages = { welcome: WelcomeMessage; chat: ChatBroadcast; error: RoomErrorMessage };
/** A connection to this room. */
type LabyrinthClient = ColyseusClient<{ messages: ServerMessages }>;

/** What a room needs from the rest of the server, handed over by `src/app.ts`. */
export type LabyrinthRoomServices = {
  sessions: SessionService;
  content: ContentService;
  identity: ClientIdentityService;
  reconnectSeconds: number;
  /** Seconds between everyone being ready and play starting. */
  countdownSeconds: number;
  /** Minimum time between two moves of one player. */
  moveCooldownMs: number;
  logger: Logger;
};

/** What onAuth established: a seat for a player, or none for a spectator. */
type JoinAuth = { clientId: string; clientToken: string; seat: SeatedPlayer | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const createOptionsSchema = z.object({ sessionId: z.string().regex(UUID, 'must be a session id (UUID)') });
const joinOptionsSchema = createOptionsSchema.extend({
  clientId: z.string().regex(CLIENT_ID_PATTERN, 'must be 1 to 128 letters, digits or _-.:@'),
  clientToken: z.string().max(256).optional(),
  name: z.string().trim().min(1).max(32).optional(),
  spectator: z.boolean().optional(),
});
const readyMessageSchema = z.object({ ready: z.boolean() });
const pickCharacterSchema = z.object({ entityId: z.string().min(1).max(64) });
const moveSchema = z.object({ dir: z.enum(DIRECTIONS as [Direction, ...Direction[]]) });
const chatSchema = z.object({ text: z.string().max(4 * MAX_CHAT_LENGTH) });

/** Five chat lines at once, then one a second, per client. */
const CHAT_BURST = 5;
const CHAT_REFILL_MS = 1000;

/**
 * One game session, live. The room is the only owner of its session's live state: socket
 * clients change it through messages, HTTP clients through the bridge methods below (called with
 * `matchMaker.remoteRoomCall`, possibly from another process). Every change of membership or
 * readiness is written to the database in order, so the room can be rebuilt from it at any time.
 */
export class LabyrinthRoom extends Room<{ state: LabyrinthState; client: LabyrinthClient }> {
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
  readonly #sockets = new Map<string, LabyrinthClient>();
  /** Colyseus session id → our clientId; survives SDK reconnections, which keep the session id. */
  readonly #clientIds = new Map<string, string>();
  readonly #reconnections = new Map<string, Deferred<LabyrinthClient>>();
  readonly #tokens = new Map<string, string>();
  /** Colyseus session id → clientId of each spectator. */
  readonly #spectators = new Map<string, string>();
  #maze!: Maze;
  #moveLimits!: TokenBuckets;
  readonly #chatLimits = new TokenBuckets({ capacity: CHAT_BURST, refillMs: CHAT_REFILL_MS });
  #countdown: { clear(): void } | undefined;
  /** Database writes, chained so they land in the order the state changed. */
  #writes: Promise<unknown> = Promise.resolve();
  /** Set when the room closes for good: its connections go, but nothing is unseated. */
  #closing: 'session deleted' | 'server shutdown' | undefined;

  override messages = {
    ready: (client: LabyrinthClient, message: ReadyMessage) => this.#onReady(client, message),
    pick_character: (client: LabyrinthClient, message: PickCharacterMessage) => this.#onPickCharacter(client, message),
    move: (client: LabyrinthClient, message: MoveMessage) => this.#onMove(client, message),
    chat: (client: LabyrinthClient, message: ChatMessage) => this.#onChat(client, message),
    /** After a round: everyone back to the lobby on a new maze. */
    new_round: (client: LabyrinthClient) => this.#onNewRound(client),
    /** Request/response (`await room.request("whoami")`): the same data as `welcome`. */
    whoami: (client: LabyrinthClient): WelcomeMessage | RoomErrorMessage => this.#welcomeFor(client),
  };

  /** Runs when the first join (or the HTTP bridge) finds no room for the session: load it. */
  override async onCreate(options: unknown): Promise<void> {
    const { sessionId } = parseOptions(createOptionsSchema, options);
    const snapshot = await this.#guard(() => this.services.sessions.loadSnapshot(sessionId));
    // The roomId is the session id, so joinById(sessionId) works and the matchmaker's driver
    // refuses a second room for the same session (a racing duplicate is discarded).
    this.roomId = snapshot.id;
    this.#moveLimits = new TokenBuckets({ capacity: 1, refillMs: this.services.moveCooldownMs });
    this.#loadRound(snapshot);
  }

  /** Runs before a client takes its seat: checks the options and identity, and seats it durably. */
  override async onAuth(_client: LabyrinthClient, options: unknown): Promise<JoinAuth> {
    const join = parseOptions(joinOptionsSchema, options);
    if (join.sessionId !== this.state.sessionId) {
      throw new ServerError(400, `sessionId ${join.sessionId} does not match this room (${this.state.sessionId})`);
    }
    const { clientToken } = await this.#guard(() => this.services.identity.authenticate(join.clientId, join.clientToken));
    // Newcomers may only watch a round under way; a seated player coming back gets its seat.
    const watchOnly = join.spectator === true || (this.#roundUnderWay() && !this.state.players.has(join.clientId));
    if (watchOnly) {
      return { clientId: join.clientId, clientToken, seat: null };
    }
    const seat = await this.#guard(() => this.#seatDurably(join.clientId, join.name));
    return { clientId: join.clientId, clientToken, seat };
  }

  /** The client is in: show its player as connected and hand it its token. */
  override onJoin(client: LabyrinthClient, options: LabyrinthJoinOptions, auth: JoinAuth): void {
    const { clientId } = auth;
    this.#tokens.set(clientId, auth.clientToken);
    const welcome: WelcomeMessage = { sessionId: this.state.sessionId, clientId, clientToken: auth.clientToken, spectator: auth.seat === null };
    if (auth.seat === null) {
      this.#spectators.set(client.sessionId, clientId);
      this.state.spectators.set(client.sessionId, new SpectatorState().assign({ clientId, name: options.name ?? clientId }));
      client.send('welcome', welcome, { afterNextPatch: true });
      return;
    }
    const previous = this.#sockets.get(clientId);
    this.#reconnections.get(clientId)?.reject(new Error('seat taken over'));
    this.#reconnections.delete(clientId);
    this.#sockets.set(clientId, client);
    this.#clientIds.set(client.sessionId, clientId);
    previous?.leave(SEAT_TAKEN_OVER_CLOSE_CODE, 'This seat was taken over by a newer connection');
    this.#placePlayer(auth.seat, true);
    // After the next patch, so that the SDK has had time to register its `welcome` handler.
    client.send('welcome', welcome, { afterNextPatch: true });
    this.#refresh();
  }

  /** The socket dropped without leaving: keep the seat and readiness while the SDK reconnects. */
  override onDrop(client: LabyrinthClient): void {
    if (this.#removeSpectator(client)) return;
    const clientId = this.#currentClientId(client);
    if (clientId === undefined) return;
    this.#setConnected(clientId, false);
    this.#reconnections.set(clientId, this.allowReconnection(client, this.services.reconnectSeconds));
  }

  override onReconnect(client: LabyrinthClient): void {
    const clientId = this.#clientIds.get(client.sessionId);
    if (clientId === undefined) return;
    this.#reconnections.delete(clientId);
    this.#sockets.set(clientId, client);
    this.#setConnected(clientId, true);
  }

  /** A deliberate leave, or a drop that did not come back in time: the seat is freed. */
  override async onLeave(client: LabyrinthClient): Promise<void> {
    if (this.#removeSpectator(client)) return;
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

  /**
   * The room is gone (empty, deleted, or closed by a shutdown). Colyseus waits for this before it
   * counts the room as disposed, and a shutdown closes the database only after every room is: so
   * the writes still queued land first.
   */
  override async onDispose(): Promise<void> {
    await this.#writes;
  }

  // ---- the HTTP bridge: called through matchMaker.remoteRoomCall, replies are plain data ----

  /** Seats a client that uses HTTP instead of a socket (shown as not connected). */
  async joinOverHttp(clientId: string, name: string | null): Promise<BridgeReply<SeatedPlayer>> {
    return toReply(async () => {
      if (this.#roundUnderWay() && !this.state.players.has(clientId)) {
        throw new ConflictError('game_in_progress', `Session ${this.state.sessionId} is playing a round: join in the lobby`);
      }
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

  #welcomeFor(client: LabyrinthClient): WelcomeMessage | RoomErrorMessage {
    const spectatorId = this.#spectators.get(client.sessionId);
    const clientId = spectatorId ?? this.#currentClientId(client);
    const clientToken = clientId === undefined ? undefined : this.#tokens.get(clientId);
    if (clientId === undefined || clientToken === undefined) {
      return { code: 'not_seated', message: 'This connection holds no seat' };
    }
    return { sessionId: this.state.sessionId, clientId, clientToken, spectator: spectatorId !== undefined };
  }

  #onReady(client: LabyrinthClient, message: unknown): void {
    const parsed = readyMessageSchema.safeParse(message);
    if (!parsed.success) {
      this.#sendError(client, 'invalid_message', 'ready expects {"ready": true|false}');
      return;
    }
    const clientId = this.#playerOf(client, 'change readiness');
    if (clientId === undefined) return;
    void this.#setReady(clientId, parsed.data.ready).catch((error: unknown) => {
      if (error instanceof DomainError) this.#sendError(client, error.code, error.message);
      else this.#sendError(client, 'not_saved', 'Readiness could not be saved; try again');
    });
  }

  async #onPickCharacter(client: LabyrinthClient, message: unknown): Promise<void> {
    const parsed = pickCharacterSchema.safeParse(message);
    if (!parsed.success) return this.#sendError(client, 'invalid_message', 'pick_character expects {"entityId": "…"}');
    const clientId = this.#playerOf(client, 'pick a character');
    if (clientId === undefined) return;
    if (this.state.phase !== 'lobby') return this.#sendError(client, 'wrong_phase', 'Characters are picked in the lobby');
    const { entityId } = parsed.data;
    const takenBy = [...this.state.players.values()].find((player) => player.characterId === entityId);
    if (takenBy && takenBy.clientId !== clientId) {
      return this.#sendError(client, 'character_taken', `${takenBy.characterName} is already played by ${takenBy.name}`);
    }
    let character;
    try {
      character = await this.services.content.getEntity(entityId);
    } catch (error) {
      if (error instanceof NotFoundError) return this.#sendError(client, 'unknown_character', `No entity ${entityId}`);
      throw error;
    }
    if (character.type !== 'player') {
      return this.#sendError(client, 'unknown_character', `${character.name} is not a playable character`);
    }
    const player = this.state.players.get(clientId);
    if (!player || this.state.phase !== 'lobby') return;
    // Looked up asynchronously: someone may have taken it meanwhile.
    if ([...this.state.players.values()].some((other) => other !== player && other.characterId === character.id)) {
      return this.#sendError(client, 'character_taken', `${character.name} was just taken`);
    }
    player.assign({ characterId: character.id, characterName: character.name, characterRole: character.role ?? '' });
    await this.#write(() => this.services.sessions.setCharacter(this.state.sessionId, clientId, character.id));
  }

  #onMove(client: LabyrinthClient, message: unknown): void {
    const parsed = moveSchema.safeParse(message);
    if (!parsed.success) return this.#sendError(client, 'invalid_message', 'move expects {"dir": "N"|"E"|"S"|"W"}');
    const clientId = this.#playerOf(client, 'move');
    if (clientId === undefined) return;
    if (this.state.phase !== 'playing') return this.#sendError(client, 'wrong_phase', `No moving while ${this.state.phase}`);
    const player = this.state.players.get(clientId)!;
    const move = tryMove(this.#maze, player, parsed.data.dir);
    if (!move.ok) {
      const message = move.reason === 'wall' ? `A wall blocks ${parsed.data.dir}` : `${parsed.data.dir} leads off the maze`;
      return this.#sendError(client, move.reason, message);
    }
    // Checked last, so that a refused move costs no cooldown.
    if (!this.#moveLimits.take(clientId, Date.now())) {
      return this.#sendError(client, 'too_fast', `One move per ${this.services.moveCooldownMs} ms`);
    }
    player.assign(move.to);
    const { sessionId, labyrinthId } = this.state;
    const seen = this.#reveal(move.to);
    void this.#write(async () => {
      await this.services.sessions.setPosition(sessionId, clientId, move.to);
      await this.services.sessions.revealTiles(labyrinthId, seen);
    }).catch(() => undefined);
    if (isExit(this.#maze, move.to)) this.#finishRound(player);
  }

  #onChat(client: LabyrinthClient, message: unknown): void {
    const parsed = chatSchema.safeParse(message);
    if (!parsed.success) return this.#sendError(client, 'invalid_message', 'chat expects {"text": "…"}');
    const text = cleanChatText(parsed.data.text);
    if (text === undefined) return this.#sendError(client, 'chat_empty', 'Say something');
    if (text.length > MAX_CHAT_LENGTH) return this.#sendError(client, 'chat_too_long', `At most ${MAX_CHAT_LENGTH} characters`);
    const from = this.#spectators.get(client.sessionId) ?? this.#currentClientId(client);
    if (from === undefined) return this.#sendError(client, 'not_seated', 'This connection holds no seat');
    if (!this.#chatLimits.take(from, Date.now())) {
      return this.#sendError(client, 'chat_rate_limited', 'Too many lines: wait a second');
    }
    const name = this.state.players.get(from)?.name ?? this.state.spectators.get(client.sessionId)?.name ?? from;
    const line: ChatBroadcast = { from, name, text, at: Date.now() };
    this.state.chat.push(new ChatLine().assign(line));
    while (this.state.chat.length > CHAT_HISTORY_LINES) this.state.chat.shift();
    this.broadcast('chat', line);
  }

  async #onNewRound(client: LabyrinthClient): Promise<void> {
    if (this.#playerOf(client, 'start a new round') === undefined) return;
    if (this.state.phase !== 'finished') return this.#sendError(client, 'wrong_phase', 'A new round follows a finished one');
    this.state.phase = 'lobby';
    const snapshot = await this.#write(() => this.services.sessions.newRound(this.state.sessionId));
    this.#loadRound(snapshot);
  }

  /** (Re)builds the state of the current round from the database, keeping chat and spectators. */
  #loadRound(snapshot: SessionSnapshot): void {
    this.#maze = generateMaze(snapshot.size, snapshot.seed);
    this.state.assign({
      sessionId: snapshot.id,
      labyrinthId: snapshot.labyrinthId,
      seed: snapshot.seed,
      size: snapshot.size,
      startX: snapshot.startX,
      startY: snapshot.startY,
      phase: snapshot.phase,
      round: snapshot.round,
      countdownEndsAt: 0,
      startedAt: snapshot.startedAt?.getTime() ?? 0,
      finishedAt: snapshot.finishedAt?.getTime() ?? 0,
      winner: snapshot.winner?.clientId ?? '',
      winnerName: snapshot.winner?.name ?? '',
      allReady: false,
    });
    this.state.revealed.clear();
    for (const cell of snapshot.revealed) this.#revealCell(cell);
    for (const seat of snapshot.players) {
      this.#placePlayer(seat, this.#sockets.has(seat.clientId));
    }
    this.#refresh();
  }

  /** Everyone is ready: count down, then play (cancelled if someone un-readies or leaves). */
  #startCountdown(): void {
    const endsAt = Date.now() + this.services.countdownSeconds * 1000;
    this.state.assign({ phase: 'countdown', countdownEndsAt: endsAt });
    this.#countdown = this.clock.setTimeout(() => this.#startPlaying(), this.services.countdownSeconds * 1000);
  }

  #cancelCountdown(): void {
    this.#countdown?.clear();
    this.#countdown = undefined;
    this.state.assign({ phase: 'lobby', countdownEndsAt: 0 });
  }

  #startPlaying(): void {
    this.#countdown = undefined;
    const startedAt = new Date();
    const start = { x: this.state.startX, y: this.state.startY };
    this.state.assign({ phase: 'playing', countdownEndsAt: 0, startedAt: startedAt.getTime() });
    for (const player of this.state.players.values()) player.assign(start);
    const seen = this.#reveal(start);
    const { sessionId, labyrinthId } = this.state;
    void this.#write(async () => {
      await this.services.sessions.startRound(sessionId, startedAt, start);
      await this.services.sessions.revealTiles(labyrinthId, seen);
    }).catch(() => undefined);
  }

  #finishRound(winner: PlayerState): void {
    const finishedAt = new Date();
    this.state.assign({ phase: 'finished', winner: winner.clientId, winnerName: winner.name, finishedAt: finishedAt.getTime() });
    const result = { finishedAt, winnerClientId: winner.clientId, winnerName: winner.name };
    void this.#write(() => this.services.sessions.finishRound(this.state.sessionId, result)).catch(() => undefined);
  }

  /** Reveals what a player standing on `cell` sees; returns the newly revealed cells. */
  #reveal(cell: Cell): Cell[] {
    return cellsSeenFrom(this.#maze, cell).filter((seen) => this.#revealCell(seen));
  }

  #revealCell(cell: Cell): boolean {
    const key = cellKey(cell);
    const tile = tileAt(this.#maze, cell);
    if (!tile || this.state.revealed.has(key)) return false;
    this.state.revealed.set(
      key,
      new RevealedTile().assign({
        x: tile.x,
        y: tile.y,
        type: tile.type,
        openDirections: [...tile.openDirections],
        image: tile.image,
        exit: isExit(this.#maze, tile),
      }),
    );
    return true;
  }

  /** The seated player a socket acts for; otherwise tells it why it may not `action`. */
  #playerOf(client: LabyrinthClient, action: string): string | undefined {
    if (this.#spectators.has(client.sessionId)) {
      this.#sendError(client, 'spectator', `Spectators cannot ${action}`);
      return undefined;
    }
    const clientId = this.#currentClientId(client);
    if (clientId === undefined || !this.state.players.has(clientId)) {
      this.#sendError(client, 'not_seated', `Only a seated player can ${action}`);
      return undefined;
    }
    return clientId;
  }

  /** Playing or finished: newcomers may only watch (joining during the countdown cancels it). */
  #roundUnderWay(): boolean {
    return this.state.phase === 'playing' || this.state.phase === 'finished';
  }

  #removeSpectator(client: LabyrinthClient): boolean {
    if (!this.#spectators.delete(client.sessionId)) return false;
    this.state.spectators.delete(client.sessionId);
    return true;
  }

  /** The one place readiness changes, for sockets and HTTP alike: lobby or countdown, seated players. */
  async #setReady(clientId: string, ready: boolean): Promise<void> {
    if (this.state.phase !== 'lobby' && this.state.phase !== 'countdown') {
      throw new ConflictError('wrong_phase', `Readiness is set in the lobby, not while ${this.state.phase}`);
    }
    const player = this.state.players.get(clientId);
    if (!player) {
      throw new ForbiddenError('not_seated', `Client ${clientId} is not seated in session ${this.state.sessionId}`, 'client_id');
    }
    if (player.ready === ready) return;
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
    player.assign({
      clientId: seat.clientId,
      name: seat.name,
      ready: seat.ready,
      connected,
      x: seat.x,
      y: seat.y,
      characterId: seat.character?.id ?? '',
      characterName: seat.character?.name ?? '',
      characterRole: seat.character?.role ?? '',
    });
    this.state.players.set(seat.clientId, player);
  }

  #setConnected(clientId: string, connected: boolean): void {
    const player = this.state.players.get(clientId);
    if (player) player.connected = connected;
    this.#refresh();
  }

  /** The clientId a socket acts for, or undefined when that socket no longer holds the seat. */
  #currentClientId(client: LabyrinthClient): string | undefined {
    const clientId = this.#clientIds.get(client.sessionId);
    if (clientId === undefined || this.#closing) return undefined;
    return this.#sockets.get(clientId)?.sessionId === client.sessionId ? clientId : undefined;
  }

  /** Recomputes what follows from the players and tells the matchmaker and old-API listeners. */
  #refresh(): void {
    this.state.allReady = allPlayersReady(this.state.players.values());
    if (this.state.phase === 'lobby' && this.state.allReady) this.#startCountdown();
    else if (this.state.phase === 'countdown' && !this.state.allReady) this.#cancelCountdown();
    const players = [...this.state.players.values()];
    const metadata = {
      // The matchmaker finds a session's room by this filterBy value, kept in the same metadata:
      // without it every join would build a duplicate room only to discard it, and a dead
      // process's listing would go unnoticed by joins until it blocked the re-created room.
      sessionId: this.state.sessionId,
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

  #sendError(client: LabyrinthClient, code: string, message: string): undefined {
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
