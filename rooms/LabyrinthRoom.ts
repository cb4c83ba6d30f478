import { randomUUID } from 'node:crypto';
import { Room, ServerError, type Deferred } from '@colyseus/core';
import type { Config } from '../src/config.ts';
import type { ContentService } from '../src/content/ContentService.ts';
import { SeatClaims } from '../src/game/SeatClaims.ts';
import { SessionRound } from '../src/game/SessionRound.ts';
import type { Readiness } from '../src/game/readiness.ts';
import type { ClientIdentityService } from '../src/identity/ClientIdentityService.ts';
import type { Logger } from '../src/logger.ts';
import type { ServerMetrics } from '../src/metrics/ServerMetrics.ts';
import type { EventLoopWatch } from '../src/overload/EventLoopWatch.ts';
import { newMazeSeed } from '../src/maze/newMazeSeed.ts';
import type { RoundWriter } from '../src/sessions/RoundWriter.ts';
import type { SessionService } from '../src/sessions/SessionService.ts';
import type { SeatedPlayer } from '../src/sessions/sessionViews.ts';
import { toReply, type BridgeReply } from './bridgeReply.ts';
import { runClientCommand, welcomeFor, type ClientCommand } from './clientCommands.ts';
import { SESSION_DELETED_CLOSE_CODE } from './closeCodes.ts';
import { parseJoinForm, quickPlayDefaults } from './joinForms.ts';
import { refuseNewcomersWhenOverloaded, refusingJoinOn } from './joinRefusals.ts';
import { inspectWithIdentities } from './monitorInspection.ts';
import { clientMessages, type LabyrinthClient, type RoomErrorMessage, type WelcomeMessage } from './labyrinthProtocol.ts';
import type { LabyrinthRoomMetadata } from './roomListing.ts';
import { sessionToPlay } from './roomSession.ts';
import { PatchScheduler } from './PatchScheduler.ts';
import { RoundEffects } from './RoundEffects.ts';
import { SeatAdmission } from './SeatAdmission.ts';
import { LabyrinthState } from './schema/LabyrinthState.ts';
import { RoundViews } from './schema/RoundViews.ts';
import { showRound } from './schema/showRound.ts';
import { validMessage } from './validMessage.ts';

/** The name clients join: `client.joinOrCreate("labyrinth", { sessionId | code, clientId })`, or without either to quick-play. */
export const LABYRINTH_ROOM = 'labyrinth';
/** Colyseus's LobbyRoom: the public labyrinth rooms, listed live (`rooms`, then `+` and `-` messages). */
export const LOBBY_ROOM = 'lobby';

/** What a room needs from the rest of the server, handed over by `src/app.ts`. */
export type LabyrinthRoomServices = {
  sessions: SessionService;
  /** This process's batched writer of round events. */
  writer: RoundWriter;
  content: ContentService;
  identity: ClientIdentityService;
  /** RECONNECT_SECONDS, COUNTDOWN_SECONDS, MOVE_COOLDOWN_MS, PATCH_MIN_INTERVAL_MS, QUICK_PLAY_*. */
  settings: Config['room'];
  /** MAX_SESSIONS: quick play creates sessions too, under the same cap as POST /api/sessions. */
  maxSessions: number;
  /** How late the event loop runs: rate limits excuse it, and an overloaded process refuses newcomers. */
  load: EventLoopWatch;
  metrics: ServerMetrics;
  logger: Logger;
};

/** What onAuth established: a seat for a player, or none for a spectator. */
type JoinAuth = { clientId: string; name: string | undefined; seat: SeatedPlayer | null };

/**
 * One game session, live: the only owner of its state. The rules are in `SessionRound` (pure); the
 * room turns socket messages and bridge calls (from HTTP, through `SessionRooms`, possibly in
 * another process) into its commands, and carries out the events they return: the synced state,
 * the ordered database writes, the countdown timer, messages and presence.
 */
export class LabyrinthRoom extends Room<{ state: LabyrinthState; client: LabyrinthClient; metadata: LabyrinthRoomMetadata }> {
  /** Players and spectators together. */
  override maxClients = 32;
  /**
   * Off here: the transport limits each socket to MAX_MESSAGES_PER_SECOND (src/http/createTransport.ts)
   * on a monotonic clock, excusing the server's own lateness, which Colyseus's counter cannot.
   */
  override maxMessagesPerSecond = Infinity;
  override seatReservationTimeout = 15;
  override state = new LabyrinthState();
  /** Injected by `labyrinthRoomWith()`. */
  declare protected readonly services: LabyrinthRoomServices;
  #round!: SessionRound;
  #views!: RoundViews;
  #effects!: RoundEffects;
  #admission!: SeatAdmission;
  #patches!: PatchScheduler;

  override messages = {
    ready: validMessage(clientMessages.ready, (client, { ready }) =>
      this.#act(client, (now) => this.#round.setReady(this.#playerOf(client, 'change readiness'), ready, now), 'Readiness could not be saved; try again'),
    ),
    pick_character: validMessage(clientMessages.pick_character, (client, { entityId }) =>
      this.#act(client, () => this.#round.pickCharacter(this.#playerOf(client, 'pick a character'), entityId)),
    ),
    move: validMessage(clientMessages.move, (client, { dir }) =>
      this.#act(client, (now, lateMs) => this.#round.move(this.#playerOf(client, 'move'), dir, now, lateMs)),
    ),
    chat: validMessage(clientMessages.chat, (client, { text }) => this.#act(client, (now, lateMs) => this.#round.say(client.sessionId, text, now, lateMs))),
    /** After a round: everyone back to the lobby on a new maze. */
    new_round: (client: LabyrinthClient) =>
      this.#act(client, () => this.#round.newRound(this.#playerOf(client, 'start a new round'), { seed: newMazeSeed(), labyrinthId: randomUUID() })),
    /** Request/response (`await room.request("whoami")`): who this connection is, and its clientToken. */
    whoami: (client: LabyrinthClient): WelcomeMessage | RoomErrorMessage =>
      welcomeFor(this.#round, this.services.identity, client.sessionId) ?? { code: 'not_seated', message: 'This connection holds no seat' },
  };

  /** Runs when the first join (or the HTTP bridge) finds no room for the session: load it (quick play: create it). */
  override async onCreate(options: unknown): Promise<void> {
    const { content, settings } = this.services;
    // A patch when something changed, not on Colyseus's fixed interval.
    this.#patches = PatchScheduler.takeOver(this, settings.patchMinIntervalMs);
    const [snapshot, characters] = await Promise.all([sessionToPlay(options, this.services), content.listEntities({ type: 'player' })]);
    // The roomId is the session id, so joinById(sessionId) works and the matchmaker's driver
    // refuses a second room for the same session (a racing duplicate is discarded).
    this.roomId = snapshot.id;
    // A private session is never in the live lobby (LobbyRoom skips unlisted rooms).
    if (snapshot.visibility === 'private') await this.setMatchmaking({ unlisted: true });
    const playable = characters.map(({ id, name, role }) => ({ id, name, role: role ?? '' }));
    this.#round = new SessionRound(snapshot, { countdownMs: settings.countdownSeconds * 1000, moveCooldownMs: settings.moveCooldownMs, characters: playable });
    this.#views = new RoundViews(this.state, this.#round);
    const access = { visibility: snapshot.visibility, code: snapshot.code, claims: new SeatClaims(snapshot.maxPlayers) };
    this.#effects = new RoundEffects(this, this.#round, { ...this.services, views: this.#views, patches: this.#patches, lastSeq: snapshot.lastSeq, access });
    this.#admission = new SeatAdmission(this, access.claims, this.#round, this.#effects);
    showRound(this.state, this.#round);
    this.#effects.publish();
    this.#effects.resume(Date.now());
  }

  /** Runs before a client takes its seat: checks the options, identity and seat cap, and seats it durably. */
  override async onAuth(client: LabyrinthClient, options: unknown): Promise<JoinAuth> {
    const join = parseJoinForm(options, quickPlayDefaults(this.services.settings));
    const { clientId, name } = join.options;
    if (join.form === 'session' && join.options.sessionId !== this.#round.sessionId) {
      throw new ServerError(400, `sessionId ${join.options.sessionId} does not match this room (${this.#round.sessionId})`);
    }
    await refusingJoinOn(async () => {
      refuseNewcomersWhenOverloaded(this.services, this.#round.members.seats.has(clientId));
      await this.services.identity.authenticate(clientId, join.options.clientToken);
    });
    if (this.#round.watchesOnly(clientId, join.form !== 'quickPlay' && join.options.spectator === true)) return { clientId, name, seat: null };
    const seat = await refusingJoinOn(() => this.#admission.seating(client.sessionId, clientId, () => this.#seatDurably(clientId, name)));
    return { clientId, name, seat };
  }

  /** The client is in: seat it, or let it watch (it asks for its token with `whoami`). */
  override onJoin(client: LabyrinthClient, _options: unknown, { clientId, name, seat }: JoinAuth): void {
    this.#admission.release(client.sessionId);
    const events = seat
      ? this.#round.playerJoined(client.sessionId, seat, Date.now())
      : this.#round.spectatorJoined(client.sessionId, { clientId, name: name ?? clientId });
    client.view = this.#views.open({ connectionId: client.sessionId, clientId, spectator: seat === null });
    client.userData = { clientId, name: seat?.name ?? name ?? clientId, spectator: seat === null };
    this.#effects.applyWithoutWaiting(events);
  }

  /** The socket dropped without leaving: keep the seat and readiness while the SDK reconnects. */
  override onDrop(client: LabyrinthClient): void {
    const events = this.#round.dropped(client.sessionId);
    this.#effects.applyWithoutWaiting(events);
    for (const event of events) {
      if (event.type === 'player_dropped')
        this.#effects.holdReconnection(event.clientId, this.allowReconnection(client, this.services.settings.reconnectSeconds) as Deferred<LabyrinthClient>);
    }
  }

  override onReconnect(client: LabyrinthClient): void {
    this.#effects.applyWithoutWaiting(this.#round.reconnected(client.sessionId));
  }

  /** A deliberate leave, or a drop that did not come back in time: the seat is freed. */
  override async onLeave(client: LabyrinthClient): Promise<void> {
    this.#views.close(client.sessionId);
    await this.#effects.apply(this.#round.disconnected(client.sessionId, Date.now()));
  }

  /**
   * The server is shutting down: what is pending is written, then Colyseus closes every connection
   * (SERVER_SHUTDOWN, which the SDK reports as a leave). Seats, readiness and positions stay in the
   * database, so the session resumes, as it was, in whichever process its clients rejoin.
   */
  override onBeforeShutdown(): void {
    this.#round?.close();
    // Colyseus does not wait for this hook, only for the room to dispose: the closing follows the write.
    void this.services.writer.flush().finally(() => super.onBeforeShutdown());
  }

  /**
   * The room is gone (empty, deleted, or closed by a shutdown). Colyseus waits for this before it
   * counts the room as disposed, and a shutdown closes the database only after every room is: so
   * the writes still pending land first.
   */
  override async onDispose(): Promise<void> {
    this.#patches?.stop();
    await this.services.writer.flush();
  }

  // ---- the HTTP bridge: called through SessionRooms (matchMaker.remoteRoomCall), replies are plain data ----

  /** Seats a client that uses HTTP instead of a socket (shown as not connected). */
  async joinOverHttp(clientId: string): Promise<BridgeReply<SeatedPlayer>> {
    return toReply(async () => {
      refuseNewcomersWhenOverloaded(this.services, this.#round.members.seats.has(clientId));
      this.#round.assertMayJoinOverHttp(clientId);
      const seat = await this.#admission.seating(`http:${clientId}`, clientId, () => this.#seatDurably(clientId, undefined));
      await this.#effects.apply(this.#round.seatedOverHttp(seat, Date.now()));
      this.#admission.release(`http:${clientId}`);
      return seat;
    });
  }

  /** Frees a client's seat; a socket it holds is closed as a consented leave. */
  async leaveOverHttp(clientId: string): Promise<BridgeReply<boolean>> {
    return toReply(async () => {
      const events = this.#round.leftOverHttp(clientId, Date.now());
      // A seat only the database knows (its join never completed) is freed there.
      if (events.length === 0) return this.services.writer.unseat(this.#round.sessionId, clientId);
      await this.#effects.apply(events);
      return true;
    });
  }

  async setReadyOverHttp(clientId: string, ready: boolean): Promise<BridgeReply<Readiness>> {
    return toReply(async () => {
      await this.#effects.apply(this.#round.setReady(clientId, ready, Date.now()));
      return this.#round.readiness();
    });
  }

  /** Who is seated and ready, in seating order. */
  readiness(): Readiness {
    return this.#round.readiness();
  }

  /** The session was deleted: close every connection with a code the SDK will not retry. */
  async closeForDeletedSession(): Promise<BridgeReply<boolean>> {
    return toReply(async () => {
      this.#round.close();
      await this.disconnect(SESSION_DELETED_CLOSE_CODE);
      return true;
    });
  }

  /** What /monitor shows of this room: its clients with their clientId and name, not the connection id alone. */
  getInspectData(): Promise<unknown> {
    return inspectWithIdentities(this, new Map(this.clients.map((client) => [client.sessionId, client.userData])));
  }

  // ---- internals ----

  /** Runs a client's command on the round (see runClientCommand). */
  #act(client: LabyrinthClient, command: ClientCommand, unsavedMessage?: string): void {
    runClientCommand(client, command, this.#effects, this.services, unsavedMessage);
  }

  /** Seats a client durably: a join is confirmed only once its seat is written. */
  #seatDurably(clientId: string, name: string | undefined): Promise<SeatedPlayer> {
    return this.services.sessions.seatClient({ sessionId: this.#round.sessionId, clientId, name: this.#round.nameFor(clientId, name) });
  }

  /** The seated player a socket acts for (refuses spectators and sockets that hold no seat). */
  #playerOf(client: LabyrinthClient, action: string): string {
    return this.#round.members.playerOf(client.sessionId, action);
  }
}
