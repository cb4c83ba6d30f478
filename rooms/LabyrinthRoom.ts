import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { matchMaker, Room, type Deferred } from '@colyseus/core';
import type { Config } from '../src/config.ts';
import type { ContentService, EntitySummary } from '../src/content/ContentService.ts';
import { SeatClaims } from '../src/game/SeatClaims.ts';
import { SessionRound } from '../src/game/SessionRound.ts';
import type { Readiness } from '../src/game/readiness.ts';
import type { Removal } from '../src/game/roundFacts.ts';
import { UnavailableError } from '../src/domainErrors.ts';
import type { Accounts } from '../src/identity/Accounts.ts';
import type { Logger } from '../src/logger.ts';
import type { ServerMetrics } from '../src/metrics/ServerMetrics.ts';
import type { EventLoopWatch } from '../src/overload/EventLoopWatch.ts';
import { newMazeSeed } from '../src/maze/newMazeSeed.ts';
import type { HeldSession, SessionHolder, SessionOwnership, StopReason } from '../src/ownership/SessionOwnership.ts';
import type { RoundWriter } from '../src/sessions/RoundWriter.ts';
import { SessionMovedError } from '../src/sessions/SessionMovedError.ts';
import type { SessionService } from '../src/sessions/SessionService.ts';
import type { SeatedPlayer, SessionSnapshot } from '../src/sessions/sessionViews.ts';
import { toReply, type BridgeReply } from './bridgeReply.ts';
import { refuse, refuseUnknownMessage, runClientCommand, welcomeFor, type ClientCommand, type SocketLimits } from './clientCommands.ts';
import { BANNED_CHANNEL, type BannedMessage } from './bannedChannel.ts';
import { removalClose, SESSION_DELETED_CLOSE_CODE, SESSION_MOVED_CLOSE_CODE } from './closeCodes.ts';
import { joinerId, parseJoinForm, quickPlayDefaults, signedInJoin } from './joinForms.ts';
import { invalidOptions, refuseNewcomersWhenOverloaded, refusingJoinOn } from './joinRefusals.ts';
import { inspectWithIdentities } from './monitorInspection.ts';
import { clientMessages, type LabyrinthClient, type RoomErrorMessage, type WelcomeMessage } from './labyrinthProtocol.ts';
import type { LabyrinthRoomMetadata } from './roomListing.ts';
import { sessionIdToPlay } from './roomSession.ts';
import { PatchScheduler } from './PatchScheduler.ts';
import { RoundEffects } from './RoundEffects.ts';
import { SeatAdmission } from './SeatAdmission.ts';
import { LabyrinthState } from './schema/LabyrinthState.ts';
import { RoundViews } from './schema/RoundViews.ts';
import { showRound } from './schema/showRound.ts';
import { validMessage, type RefuseMessage } from './validMessage.ts';

/** The name clients join: `client.joinOrCreate("labyrinth", { sessionId | code, clientId })`, or without either to quick-play. */
export const LABYRINTH_ROOM = 'labyrinth';
/** Colyseus's LobbyRoom: the public labyrinth rooms, listed live (`rooms`, then `+` and `-` messages). */
export const LOBBY_ROOM = 'lobby';

/** What a room needs from the rest of the server, handed over by `src/app.ts`. */
export type LabyrinthRoomServices = {
  sessions: SessionService;
  /** This process's batched writer of round events. */
  writer: RoundWriter;
  /** Which room of the cluster owns each session: a room takes its session before it plays it. */
  ownership: SessionOwnership;
  content: ContentService;
  /** Who may play, and as whom: tokens, guests, bans. */
  accounts: Accounts;
  /** RECONNECT_SECONDS, COUNTDOWN_SECONDS, MOVE_COOLDOWN_MS, PATCH_MIN_INTERVAL_MS, QUICK_PLAY_*. */
  settings: Config['room'];
  /** What the transport allows each socket, told to clients in `whoami` with the room's own limits. */
  socketLimits: SocketLimits;
  /** MAX_SESSIONS: quick play creates sessions too, under the same cap as POST /api/sessions. */
  maxSessions: number;
  /** How late the event loop runs: rate limits excuse it, and an overloaded process refuses newcomers. */
  load: EventLoopWatch;
  metrics: ServerMetrics;
  logger: Logger;
};

/** What onAuth established: a seat for a player, or none for a spectator; when its ban check ran. */
type JoinAuth = { clientId: string; name: string | undefined; seat: SeatedPlayer | null; banCheckedAt: number };

/**
 * How long a room remembers a ban it heard, for joins that were in flight when it came: longer
 * than any join takes between its ban check and onJoin. Bans are rare: the map stays small.
 */
const BANS_REMEMBERED_MS = 10 * 60_000;

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
   * Off here: the transport limits each socket to MAX_MESSAGES_PER_SECOND (src/http/edge/createTransport.ts)
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
  /** Every refused message, whatever refused it, is counted and answered the same way. */
  readonly #refuse: RefuseMessage = (client, code, message) => refuse(client, this.services.metrics, code, message);
  /** The session as this room holds it (its fencing epoch); unset in a room discarded as a duplicate. */
  #held: HeldSession | undefined;
  /** Bans this room heard, by identity: when, and the removal to apply to a join that was checked before it. */
  readonly #bansHeard = new Map<string, { at: number; removal: Removal }>();
  /** Set once the room no longer owns its session: it acts on nothing and is closing. */
  #stopped = false;
  /** Set once onCreate is done: Colyseus refuses to disconnect a room before. */
  #created = false;

  override messages = {
    ready: validMessage(
      clientMessages.ready,
      (client, { ready }) =>
        this.#act(client, (now) => this.#round.setReady(this.#playerOf(client, 'change readiness'), ready, now), 'Readiness could not be saved; try again'),
      this.#refuse,
    ),
    pick_character: validMessage(
      clientMessages.pick_character,
      (client, { entityId }) => this.#act(client, () => this.#round.pickCharacter(this.#playerOf(client, 'pick a character'), entityId)),
      this.#refuse,
    ),
    move: validMessage(
      clientMessages.move,
      (client, { dir }) => this.#act(client, (now, lateMs) => this.#round.move(this.#playerOf(client, 'move'), dir, now, lateMs)),
      this.#refuse,
    ),
    chat: validMessage(
      clientMessages.chat,
      (client, { text }) => this.#act(client, (now, lateMs) => this.#round.say(client.sessionId, text, now, lateMs)),
      this.#refuse,
    ),
    /** After a round: everyone back to the lobby on a new maze. */
    new_round: (client: LabyrinthClient) =>
      this.#act(client, () => this.#round.newRound(this.#playerOf(client, 'start a new round'), { seed: newMazeSeed(), labyrinthId: randomUUID() })),
    /** Request/response (`await room.request("whoami")`): who this connection is, its clientToken, and the limits to keep to. */
    whoami: (client: LabyrinthClient): WelcomeMessage | RoomErrorMessage =>
      welcomeFor(this.#round, this.services, client.sessionId) ?? { code: 'not_seated', message: 'This connection holds no seat' },
  };

  /**
   * Runs when the first join (or the HTTP bridge) finds no room for the session: take the session
   * (quick play: create it first), then load it. A room that finds the session's room listed
   * meanwhile stays empty: the matchmaker discards it and hands out the listed one.
   */
  override async onCreate(options: unknown): Promise<void> {
    const { sessions, content, ownership, settings } = this.services;
    // A patch when something changed, not on Colyseus's fixed interval.
    this.#patches = PatchScheduler.takeOver(this, settings.patchMinIntervalMs);
    // A type no handler takes gets an `error`, as a bad payload does; Colyseus would close the socket.
    this.onMessage('*', (client: LabyrinthClient, type) => refuseUnknownMessage(client, type, Object.keys(this.messages), this.#refuse));
    const sessionId = await sessionIdToPlay(options, this.services);
    // The roomId is the session id, so joinById(sessionId) works and the matchmaker's driver
    // refuses a second room for the same session (a racing duplicate is discarded).
    this.roomId = sessionId;
    await closedHere(sessionId);
    const held = await refusingJoinOn(() => ownership.claim(sessionId, this.#holder(), () => isListed(sessionId)));
    if (held === 'listed') return;
    this.#held = held;
    try {
      // Refused as every join is, with its code (a session deleted meanwhile, or taken over).
      await refusingJoinOn(async () => {
        const [snapshot, characters] = await Promise.all([sessions.loadSnapshot(sessionId), content.listEntities({ type: 'player' })]);
        await this.#play(snapshot, characters);
        // Taken from it while it was loading: the matchmaker discards it, and the join finds the session's room.
        if (this.#stopped) throw new SessionMovedError(sessionId);
      });
      this.#created = true;
    } catch (error) {
      await held.release();
      throw error;
    }
  }

  /** Sets the room up on the session as stored, and carries on what it was doing (a countdown, a round under way). */
  async #play(snapshot: SessionSnapshot, characters: EntitySummary[]): Promise<void> {
    const { settings } = this.services;
    // A private session is never in the live lobby (LobbyRoom skips unlisted rooms).
    if (snapshot.visibility === 'private') await this.setMatchmaking({ unlisted: true });
    const playable = characters.map(({ id, name, role }) => ({ id, name, role: role ?? '' }));
    this.#round = new SessionRound(snapshot, { countdownMs: settings.countdownSeconds * 1000, moveCooldownMs: settings.moveCooldownMs, characters: playable });
    this.#views = new RoundViews(this.state, this.#round);
    const access = { visibility: snapshot.visibility, code: snapshot.code, claims: new SeatClaims(snapshot.maxPlayers) };
    this.#effects = new RoundEffects(this, this.#round, {
      ...this.services,
      views: this.#views,
      patches: this.#patches,
      lastSeq: snapshot.lastSeq,
      access,
      epoch: this.#held!.epoch,
      mayAct: () => this.#mayAct(),
    });
    this.#admission = new SeatAdmission(this, access.claims, this.#round, this.#effects, () => this.#mayAct());
    showRound(this.state, this.#round);
    this.#effects.publish();
    this.#effects.resume(Date.now());
    // Not awaited: with Redis away it would hold the room's creation until Redis is back.
    this.presence.subscribe(BANNED_CHANNEL, this.#onBanned).catch((error: unknown) => this.services.logger.warn({ err: error }, 'not listening for bans'));
  }

  /**
   * Runs before a client takes its seat: checks the options, identity and seat cap, and seats it
   * durably. A signed-in player's token was verified by the static onAuth (configuredLabyrinthRoom.ts);
   * a guest proves its clientId here. A ban is checked again: one may have come since the matchmaking.
   */
  override async onAuth(client: LabyrinthClient, options: unknown): Promise<JoinAuth> {
    const join = parseJoinForm(options, quickPlayDefaults(this.services.settings));
    const signedIn = signedInJoin(options);
    if (join.form === 'session' && join.options.sessionId !== this.#round.sessionId) {
      throw invalidOptions(`sessionId ${join.options.sessionId} does not match this room (${this.#round.sessionId})`);
    }
    const { accounts } = this.services;
    const banCheckedAt = Date.now();
    const clientId = await refusingJoinOn(async () => {
      this.#assertMayAct();
      refuseNewcomersWhenOverloaded(this.services, this.#round.members.seats.has(joinerId(options) ?? ''));
      const playerId = await accounts.playerId(signedIn, join.options.clientId);
      if (!signedIn) await accounts.proveGuest(playerId, join.options.clientToken);
      return playerId;
    });
    const name = join.options.name ?? signedIn?.name;
    if (this.#round.watchesOnly(clientId, join.form !== 'quickPlay' && join.options.spectator === true)) return { clientId, name, seat: null, banCheckedAt };
    const seat = await refusingJoinOn(() => this.#admission.seating(client.sessionId, clientId, () => this.#seatDurably(clientId, name)));
    return { clientId, name, seat, banCheckedAt };
  }

  /** The client is in: seat it, or let it watch (it asks for its token with `whoami`). */
  override onJoin(client: LabyrinthClient, _options: unknown, { clientId, name, seat, banCheckedAt }: JoinAuth): void {
    this.#admission.release(client.sessionId);
    const events = seat
      ? this.#round.playerJoined(client.sessionId, seat, Date.now())
      : this.#round.spectatorJoined(client.sessionId, { clientId, name: name ?? clientId });
    client.view = this.#views.open({ connectionId: client.sessionId, clientId, spectator: seat === null });
    client.userData = { clientId, name: seat?.name ?? name ?? clientId, spectator: seat === null };
    this.#effects.applyWithoutWaiting(events);
    // A ban that came while this join was between its ban check and here found no seat or
    // connection to remove (and may have freed a seat written meanwhile): it removes them once the
    // join is complete (a client closed during onJoin fails its join with Colyseus's early_leave
    // instead of seeing the ban's close code).
    const ban = this.#bansHeard.get(clientId);
    if (ban && ban.at >= banCheckedAt) setImmediate(() => void this.removePlayer(clientId, ban.removal));
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
    // Colyseus does not wait for this hook, only for the room to dispose: the closing follows the
    // write, and the release (so the process that takes the clients in claims the session at once).
    void this.#writeAndRelease().finally(() => super.onBeforeShutdown());
  }

  /**
   * The room is gone (empty, deleted, closed by a shutdown, or discarded as a duplicate). Colyseus
   * waits for this before it counts the room as disposed, and a shutdown closes the database only
   * after every room is: so the writes still pending land first, then the session is let go.
   */
  override async onDispose(): Promise<void> {
    this.#patches?.stop();
    // Not awaited either (Redis may be away); a room that never played never subscribed, which is no error.
    // (Presence types its unsubscribe as any; every presence returns a promise.)
    Promise.resolve(this.presence.unsubscribe(BANNED_CHANNEL, this.#onBanned) as unknown).catch(() => undefined);
    await this.#writeAndRelease();
  }

  /** What a room whose session is taken from it (or that cannot renew it in time) does: stop acting, close its clients, write nothing. */
  #holder(): SessionHolder {
    return {
      stop: (reason) => this.#stop(reason),
      handOver: () => void this.#handOver(),
    };
  }

  /** The session is another room's now (or may be soon): nothing more is done or written; the clients join again, and find that room. */
  #stop(reason: StopReason): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#round?.close();
    this.#effects?.stop();
    this.services.metrics.roomSuperseded(reason);
    this.services.logger.warn({ sessionId: this.roomId, reason }, `room of session ${this.roomId} closed: it no longer owns the session (${reason})`);
    if (this.#created) void this.disconnect(SESSION_MOVED_CLOSE_CODE);
  }

  /** Another process wants the session and this one is cut off from the cluster: write what it accepted, let go, close. */
  async #handOver(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#round?.close();
    this.#effects?.stop();
    await this.services.writer.flush();
    await this.#held?.release({ handedOver: true });
    this.services.metrics.roomSuperseded('handed_over');
    this.services.logger.warn({ sessionId: this.roomId }, `room of session ${this.roomId} handed over and closed`);
    await this.disconnect(SESSION_MOVED_CLOSE_CODE);
  }

  async #writeAndRelease(): Promise<void> {
    await this.services.writer.flush();
    await this.#held?.release();
  }

  /** Whether the room may act: it still owns its session and (in a cluster) its lease is valid by its own clock. */
  #mayAct(): boolean {
    return !this.#stopped && this.services.ownership.serving();
  }

  #assertMayAct(): void {
    if (this.#mayAct()) return;
    throw new UnavailableError('session_unconfirmed', `This server process cannot confirm it still runs session ${this.roomId}: try again in a moment`);
  }

  // ---- the HTTP bridge: called through SessionRooms (matchMaker.remoteRoomCall), replies are plain data ----

  /** Seats a client that uses HTTP instead of a socket (shown as not connected). */
  async joinOverHttp(clientId: string): Promise<BridgeReply<SeatedPlayer>> {
    return toReply(async () => {
      this.#assertMayAct();
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
      this.#assertMayAct();
      const events = this.#round.leftOverHttp(clientId, Date.now());
      // A seat only the database knows (its join never completed) is freed there.
      if (events.length === 0) return this.services.writer.unseat({ sessionId: this.#round.sessionId, epoch: this.#held!.epoch }, clientId);
      await this.#effects.apply(events);
      return true;
    });
  }

  async setReadyOverHttp(clientId: string, ready: boolean): Promise<BridgeReply<Readiness>> {
    return toReply(async () => {
      this.#assertMayAct();
      await this.#effects.apply(this.#round.setReady(clientId, ready, Date.now()));
      return this.#round.readiness();
    });
  }

  /**
   * An admin removes a player: a kick, or (`removal.banned`) a ban. Its seat is freed (an audited
   * `player_kicked` event) and each of its connections here, a spectator's too, is closed with 4410
   * (kicked) or 4403 (banned). False when the identity was not here.
   */
  async removePlayer(clientId: string, removal: Removal): Promise<BridgeReply<boolean>> {
    return toReply(async () => {
      this.#assertMayAct();
      const close = removalClose(removal);
      const watching = [...this.#round.members.spectators].filter(([, spectator]) => spectator.clientId === clientId);
      for (const [connectionId] of watching) this.clients.getById(connectionId)?.leave(close.code, close.reason);
      const events = this.#round.kicked(clientId, removal, Date.now());
      // A seat only the database knows (its join never completed) is freed there, as by leaveOverHttp.
      if (events.length === 0) {
        return (await this.services.writer.unseat({ sessionId: this.#round.sessionId, epoch: this.#held!.epoch }, clientId)) || watching.length > 0;
      }
      await this.#effects.apply(events);
      return true;
    });
  }

  /**
   * @colyseus/monitor's "remove client" (it installs this on every room). Its own closes the socket
   * without a code, which the SDK takes for a drop and reconnects from, to the seat it kept: here the
   * player is kicked instead (seat freed, audited, 4410), or a spectator's connection closed.
   */
  async _forceClientDisconnect(connectionId: string): Promise<void> {
    const removal: Removal = { by: 'monitor', reason: null, banned: false };
    const clientId = this.#round.members.holderOf(connectionId);
    if (clientId !== undefined && this.#mayAct()) {
      await this.#effects.apply(this.#round.kicked(clientId, removal, Date.now()));
      return;
    }
    const close = removalClose(removal);
    this.clients.getById(connectionId)?.leave(close.code, close.reason);
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

  /** Runs a client's command on the round (see runClientCommand); none while the room may not act. */
  #act(client: LabyrinthClient, command: ClientCommand, unsavedMessage?: string): void {
    runClientCommand(
      client,
      (now, lateMs) => {
        this.#assertMayAct();
        return command(now, lateMs);
      },
      this.#effects,
      this.services,
      unsavedMessage,
    );
  }

  /** A ban published by an HTTP handler of any process (SessionRooms.removeEverywhere): whoever it names goes. */
  readonly #onBanned = ({ clientId, removal }: BannedMessage): void => {
    const now = Date.now();
    for (const [heard, { at }] of this.#bansHeard) if (at < now - BANS_REMEMBERED_MS) this.#bansHeard.delete(heard);
    this.#bansHeard.set(clientId, { at: now, removal });
    void this.removePlayer(clientId, removal);
  };

  /** Seats a client durably: a join is confirmed only once its seat is written, by the room that owns the session. */
  async #seatDurably(clientId: string, name: string | undefined): Promise<SeatedPlayer> {
    const owner = { epoch: this.#held!.epoch, processId: matchMaker.processId };
    try {
      return await this.services.sessions.seatClient({ sessionId: this.#round.sessionId, clientId, name: this.#round.nameFor(clientId, name), owner });
    } catch (error) {
      if (error instanceof SessionMovedError) this.#stop('superseded');
      throw error;
    }
  }

  /** The seated player a socket acts for (refuses spectators and sockets that hold no seat). */
  #playerOf(client: LabyrinthClient, action: string): string {
    return this.#round.members.playerOf(client.sessionId, action);
  }
}

/** How long a new room waits for an older room of its session, closing in this process, to be gone. */
const CLOSING_ROOM_WAIT_MS = 2000;

/**
 * Waits (briefly) until no older room of the session is left in this process: one that lost the
 * session a moment ago may still be closing, and Colyseus keeps one room per roomId in a process
 * (the old one's disposal would remove the new one's listing and reference).
 */
async function closedHere(sessionId: string): Promise<void> {
  const deadline = performance.now() + CLOSING_ROOM_WAIT_MS;
  while (matchMaker.getLocalRoomById(sessionId) && performance.now() < deadline) await sleep(50);
}

/** Whether a room of the session is listed (in this process or another): the one a join should get. */
async function isListed(sessionId: string): Promise<boolean> {
  return (await matchMaker.driver.findOne({ roomId: sessionId })) !== undefined;
}
