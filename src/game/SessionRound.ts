import { ConflictError, ForbiddenError } from '../domainErrors.ts';
import { isBot } from './botSeats.ts';
import type { Direction } from '../maze/directions.ts';
import { generateMaze, type Maze } from '../maze/generateMaze.ts';
import { cellKey } from './fogOfWar.ts';
import { MazeKnowledge, type FogMode, type SpectatorView } from './MazeKnowledge.ts';
import { isExit, tryMove, type Cell } from './moveRules.ts';
import type { Phase } from './phase.ts';
import { allPlayersReady, type Readiness } from './readiness.ts';
import type { RoundEvent } from './roundEvents.ts';
import type { Removal, RoundRules, RoundSnapshot, Seat, Spectator, StoredSeat } from './roundFacts.ts';
import { SessionChat } from './SessionChat.ts';
import { SessionMembers } from './SessionMembers.ts';
import { TokenBuckets } from './TokenBuckets.ts';

/**
 * The rules of one session's rounds, with no I/O, timers or transport: seats and readiness, the
 * phases, characters, moves, fog of war, the winner and chat. Each command takes the current time
 * and either refuses (throws a `DomainError` with a stable code, changing nothing) or changes the
 * facts here and returns them as events, in order, for the room to carry out.
 */
export class SessionRound {
  readonly sessionId: string;
  readonly members = new SessionMembers();
  labyrinthId: string;
  maze: Maze;
  phase: Phase;
  /** 1 for the first maze of the session; each new round adds one. */
  round: number;
  /** Epoch ms; 0 when not applicable. */
  countdownEndsAt = 0;
  startedAt: number;
  finishedAt: number;
  winner: { clientId: string; name: string } | null;
  /** What the team and each player have seen of this maze. */
  readonly knowledge = new MazeKnowledge();
  readonly fog: FogMode;
  readonly spectatorView: SpectatorView;
  readonly chat = new SessionChat();
  readonly #rules: RoundRules;
  readonly #moveLimits: TokenBuckets;

  constructor(snapshot: RoundSnapshot, rules: RoundRules) {
    this.#rules = rules;
    this.#moveLimits = new TokenBuckets({ capacity: 1, refillMs: rules.moveCooldownMs });
    this.sessionId = snapshot.id;
    this.labyrinthId = snapshot.labyrinthId;
    this.maze = generateMaze(snapshot.size, snapshot.seed);
    this.phase = snapshot.phase;
    this.round = snapshot.round;
    this.startedAt = snapshot.startedAt?.getTime() ?? 0;
    this.finishedAt = snapshot.finishedAt?.getTime() ?? 0;
    this.winner = snapshot.winner;
    this.fog = snapshot.fog;
    this.spectatorView = snapshot.spectatorView;
    for (const seat of snapshot.players) this.members.seats.set(seat.clientId, { ...seat, connected: false });
    for (const cell of snapshot.revealed) this.knowledge.revealed.add(cellKey(cell));
    // Each player's own knowledge is not stored: it is what it saw from the start and after each move.
    if (this.roundUnderWay) {
      for (const clientId of this.members.seats.keys()) this.knowledge.look(clientId, this.maze, { x: this.maze.startX, y: this.maze.startY });
      for (const move of snapshot.moves) this.knowledge.look(move.clientId, this.maze, move.to);
    }
  }

  /** What follows from the loaded facts: a countdown when everyone was ready (one in progress restarts). */
  resume(now: number): RoundEvent[] {
    return this.#settleCountdown(now);
  }

  /** True only when every seated player is ready and at least one of them is a person (bots are always ready); spectators do not count. */
  get allReady(): boolean {
    return allPlayersReady(this.members.seats.values());
  }

  readiness(): Readiness {
    return { players: this.members.readiness(), allReady: this.allReady };
  }

  /** Playing or finished: newcomers may only watch (joining during the countdown cancels it). */
  get roundUnderWay(): boolean {
    return this.phase === 'playing' || this.phase === 'finished';
  }

  /** Whether someone joining as `clientId` may only watch: asked to, or a newcomer to a round under way. */
  watchesOnly(clientId: string, askedToWatch: boolean): boolean {
    return askedToWatch || (this.roundUnderWay && !this.members.seats.has(clientId));
  }

  /** The name a player shows: the one just given, else its seat's, else its clientId. */
  nameFor(clientId: string, given: string | undefined): string {
    return given ?? this.members.seats.get(clientId)?.name ?? clientId;
  }

  /** Refuses a newcomer over HTTP while a round is under way (sockets become spectators instead). */
  assertMayJoinOverHttp(clientId: string): void {
    if (this.roundUnderWay && !this.members.seats.has(clientId)) {
      throw new ConflictError('game_in_progress', `Session ${this.sessionId} is playing a round: join in the lobby`);
    }
  }

  /** A player's socket joined with its stored seat (or came back on a new connection: a reload). */
  playerJoined(connectionId: string, stored: StoredSeat, now: number): RoundEvent[] {
    const live = this.members.seats.get(stored.clientId);
    // The live seat is the truth for everything but the name the player just gave.
    this.members.seats.set(stored.clientId, live ? { ...live, name: stored.name, connected: true } : { ...stored, connected: true });
    const previous = this.members.hold(stored.clientId, connectionId);
    const takenOver: RoundEvent[] = previous === undefined ? [] : [{ type: 'seat_taken_over', clientId: stored.clientId, connectionId: previous }];
    return [...takenOver, { type: 'player_joined', clientId: stored.clientId, name: stored.name, connectionId }, ...this.#settleCountdown(now)];
  }

  /** A client seated over HTTP: it holds no socket, so it shows as not connected. */
  seatedOverHttp(stored: StoredSeat, now: number): RoundEvent[] {
    if (this.members.seats.has(stored.clientId)) return [];
    this.members.seats.set(stored.clientId, { ...stored, connected: false });
    return [{ type: 'player_joined', clientId: stored.clientId, name: stored.name, connectionId: null }, ...this.#settleCountdown(now)];
  }

  spectatorJoined(connectionId: string, spectator: Spectator): RoundEvent[] {
    this.members.spectators.set(connectionId, spectator);
    return [{ type: 'spectator_joined', connectionId, ...spectator }];
  }

  /** A socket dropped without leaving: a player keeps the seat (not connected) while it may reconnect. */
  dropped(connectionId: string): RoundEvent[] {
    if (this.members.spectators.has(connectionId)) return this.#spectatorLeft(connectionId);
    const seat = this.members.seatHeldBy(connectionId);
    if (!seat) return [];
    seat.connected = false;
    return [{ type: 'player_dropped', clientId: seat.clientId }];
  }

  /** The SDK reconnected a dropped socket (same connection id). */
  reconnected(connectionId: string): RoundEvent[] {
    const seat = this.members.seatHeldBy(connectionId);
    if (!seat) return [];
    seat.connected = true;
    return [{ type: 'player_reconnected', clientId: seat.clientId }];
  }

  /** A connection is gone for good (a leave, or a drop that did not come back): its seat is freed. */
  disconnected(connectionId: string, now: number): RoundEvent[] {
    if (this.members.spectators.has(connectionId)) return this.#spectatorLeft(connectionId);
    // Once the room is closing no connection holds a seat, so nobody is unseated.
    const clientId = this.members.release(connectionId);
    if (clientId === undefined) return [];
    return this.#unseat({ type: 'player_left', clientId, closeConnectionId: null }, now);
  }

  /** A leave over HTTP: the seat is freed, and a socket that still holds it is to be closed. */
  leftOverHttp(clientId: string, now: number): RoundEvent[] {
    if (!this.members.seats.has(clientId)) return [];
    return this.#unseat({ type: 'player_left', clientId, closeConnectionId: this.members.connectionOf(clientId) ?? null }, now);
  }

  /** An admin removes a seated player (a kick, or a ban): its seat is freed, and a socket that holds it is to be closed. */
  kicked(clientId: string, removal: Removal, now: number): RoundEvent[] {
    if (!this.members.seats.has(clientId)) return [];
    return this.#unseat({ type: 'player_kicked', clientId, ...removal, closeConnectionId: this.members.connectionOf(clientId) ?? null }, now);
  }

  /** The room closes for good (session deleted, server shutdown): from now on nobody is unseated. */
  close(): void {
    this.members.close();
  }

  /** Sets (not flips) readiness: lobby or countdown, seated players only. */
  setReady(clientId: string, ready: boolean, now: number): RoundEvent[] {
    if (this.phase !== 'lobby' && this.phase !== 'countdown') {
      throw new ConflictError('wrong_phase', `Readiness is set in the lobby, not while ${this.phase}`);
    }
    const seat = this.members.seats.get(clientId);
    if (!seat) throw new ForbiddenError('not_seated', `Client ${clientId} is not seated in session ${this.sessionId}`, 'client_id');
    if (seat.ready === ready) return [];
    seat.ready = ready;
    return [{ type: 'ready_changed', clientId, ready }, ...this.#settleCountdown(now)];
  }

  /** Plays a character: lobby only, one player per character. */
  pickCharacter(clientId: string, entityId: string): RoundEvent[] {
    if (this.phase !== 'lobby') throw new ConflictError('wrong_phase', 'Characters are picked in the lobby');
    const seat = this.#seatOf(clientId);
    const takenBy = [...this.members.seats.values()].find((other) => other.character?.id === entityId);
    if (takenBy && takenBy !== seat) {
      throw new ConflictError('character_taken', `${takenBy.character!.name} is already played by ${takenBy.name}`);
    }
    const character = this.#rules.characters.find((candidate) => candidate.id === entityId);
    if (!character) throw new ConflictError('unknown_character', `${entityId} is not a playable character`);
    if (takenBy === seat) return [];
    seat.character = character;
    return [{ type: 'character_picked', clientId, character }];
  }

  /** The countdown ran out: everyone on the start cell, play. */
  startPlaying(now: number): RoundEvent[] {
    if (this.phase !== 'countdown') return [];
    this.phase = 'playing';
    this.countdownEndsAt = 0;
    this.startedAt = now;
    const start = { x: this.maze.startX, y: this.maze.startY };
    let revealed: Cell[] = [];
    for (const seat of this.members.seats.values()) {
      Object.assign(seat, start);
      revealed = [...revealed, ...this.knowledge.look(seat.clientId, this.maze, start).revealed];
    }
    const { seed, size } = this.maze;
    return [{ type: 'round_started', startedAt: now, seed, size, start, players: [...this.members.seats.keys()], revealed }];
  }

  /**
   * One step through an open side; whoever reaches the exit first wins. `lateMs`: how late the
   * server handles it (the cooldown judges when the player could have sent it, not the server's lag).
   */
  move(clientId: string, direction: Direction, now: number, lateMs = 0): RoundEvent[] {
    if (this.phase !== 'playing') throw new ConflictError('wrong_phase', `No moving while ${this.phase}`);
    const seat = this.#seatOf(clientId);
    const move = tryMove(this.maze, seat, direction);
    if (!move.ok) {
      throw new ConflictError(move.reason, move.reason === 'wall' ? `A wall blocks ${direction}` : `${direction} leads off the maze`);
    }
    // Checked last, so that a refused move costs no cooldown.
    if (!this.#moveLimits.take(clientId, now, lateMs)) {
      throw new ConflictError('too_fast', `One move per ${this.#rules.moveCooldownMs} ms`);
    }
    Object.assign(seat, move.to);
    const events: RoundEvent[] = [{ type: 'player_moved', clientId, dir: direction, to: move.to, ...this.knowledge.look(clientId, this.maze, move.to) }];
    if (!isExit(this.maze, move.to)) return events;
    this.phase = 'finished';
    this.winner = { clientId, name: seat.name };
    this.finishedAt = now;
    return [...events, { type: 'round_finished', winner: this.winner, finishedAt: now }];
  }

  /** A chat line from a player or a spectator (`lateMs` as for moves). */
  say(connectionId: string, text: string, now: number, lateMs = 0): RoundEvent[] {
    const cleaned = this.chat.accept(text);
    const spectator = this.members.spectators.get(connectionId);
    const from = spectator?.clientId ?? this.members.holderOf(connectionId);
    if (from === undefined) throw new ForbiddenError('not_seated', 'This connection holds no seat');
    const name = this.members.seats.get(from)?.name ?? spectator?.name ?? from;
    return [{ type: 'chat_said', line: this.chat.say({ clientId: from, name }, cleaned, now, lateMs) }];
  }

  /** After a finished round: back to the lobby on the maze of `seed`, characters kept, nobody ready but the bots. */
  newRound(clientId: string, next: { seed: string; labyrinthId: string }): RoundEvent[] {
    this.#seatOf(clientId);
    if (this.phase !== 'finished') throw new ConflictError('wrong_phase', 'A new round follows a finished one');
    this.maze = generateMaze(this.maze.size, next.seed);
    this.labyrinthId = next.labyrinthId;
    this.phase = 'lobby';
    this.round += 1;
    this.startedAt = 0;
    this.finishedAt = 0;
    this.winner = null;
    this.knowledge.clear();
    for (const seat of this.members.seats.values()) Object.assign(seat, { x: this.maze.startX, y: this.maze.startY, ready: false });
    const bots = [...this.members.seats.values()].filter((seat) => isBot(seat.clientId));
    // Bots get ready again at once, as recorded events: the database and the audit trail agree.
    for (const bot of bots) bot.ready = true;
    const botsReady = bots.map((bot): RoundEvent => ({ type: 'ready_changed', clientId: bot.clientId, ready: true }));
    return [{ type: 'new_round', clientId, round: this.round, labyrinthId: next.labyrinthId, maze: this.maze }, ...botsReady];
  }

  #seatOf(clientId: string): Seat {
    const seat = this.members.seats.get(clientId);
    if (!seat) throw new ForbiddenError('not_seated', `Client ${clientId} is not seated in session ${this.sessionId}`);
    return seat;
  }

  /** Frees the seat `freed` names; the countdown follows from who is left. */
  #unseat(freed: Extract<RoundEvent, { type: 'player_left' | 'player_kicked' }>, now: number): RoundEvent[] {
    this.members.unseat(freed.clientId);
    this.knowledge.forget(freed.clientId);
    this.#forgetLimitsOf(freed.clientId);
    return [freed, ...this.#settleCountdown(now)];
  }

  #spectatorLeft(connectionId: string): RoundEvent[] {
    const spectator = this.members.spectators.get(connectionId)!;
    this.members.spectators.delete(connectionId);
    this.#forgetLimitsOf(spectator.clientId);
    return [{ type: 'spectator_left', connectionId, clientId: spectator.clientId }];
  }

  /** A long-lived room must not grow with every client it has ever seen. */
  #forgetLimitsOf(clientId: string): void {
    if (this.members.isPresent(clientId)) return;
    this.#moveLimits.forget(clientId);
    this.chat.forget(clientId);
  }

  /** Starts the countdown when everyone is ready in the lobby; cancels it when that stops being true. */
  #settleCountdown(now: number): RoundEvent[] {
    if (this.phase === 'lobby' && this.allReady) {
      this.phase = 'countdown';
      this.countdownEndsAt = now + this.#rules.countdownMs;
      return [{ type: 'countdown_started', endsAt: this.countdownEndsAt }];
    }
    if (this.phase === 'countdown' && !this.allReady) {
      this.phase = 'lobby';
      this.countdownEndsAt = 0;
      return [{ type: 'countdown_cancelled' }];
    }
    return [];
  }
}
