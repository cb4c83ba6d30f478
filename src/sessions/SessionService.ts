import { randomUUID } from 'node:crypto';
import { IsolationLevel, LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { SqlEntityManager as EntityManager } from '@mikro-orm/postgresql';
import type { Database } from '../database/openDatabase.ts';
import { ClientSeat, GameSession, Labyrinth, Player, Tile } from '../database/entities/index.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../domainErrors.ts';
import { mazeIsPublished } from '../game/mazeSecrecy.ts';
import { generateMaze, type Maze } from '../maze/generateMaze.ts';
import { newMazeSeed } from '../maze/newMazeSeed.ts';
import { tileImageOf } from '../maze/tileShape.ts';
import type { Direction } from '../maze/directions.ts';
import type { TileType } from '../maze/tileShape.ts';
import type { FogMode, SpectatorView } from '../game/MazeKnowledge.ts';
import { botSeat } from '../game/botSeats.ts';
import { DEFAULT_MAX_PLAYERS, type Visibility } from '../game/sessionAccess.ts';
import { newJoinCode } from './joinCode.ts';
import { SESSION_ID_PATTERN } from './sessionId.ts';
import {
  toSeatedPlayer,
  toSummary,
  type LabyrinthView,
  type SeatedPlayer,
  type SessionPage,
  type SessionSnapshot,
  type SessionSummary,
} from './sessionViews.ts';
import { storeLabyrinth } from './storeLabyrinth.ts';
import { readEvents, roundTrail, type EventPage } from './auditTrail.ts';
import { lockAsOwner, type SessionOwner } from './ownershipStatements.ts';

/**
 * Reads game sessions, and writes everything about them but the play of a round: creating and
 * deleting sessions, and seating clients. The REST API, the old HTTP API and the rooms all go
 * through it, so there is no second copy of the rules. What a round's events change (readiness,
 * characters, positions, revealed tiles, results, new rounds, freed seats) is written by the
 * rooms' batched `RoundWriter`, with the statements in roundStatements.ts.
 */
export class SessionService {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  /** A fresh entity manager: each operation gets its own identity map, never a shared global one. */
  #em(): EntityManager {
    return this.#database.em.fork();
  }

  /**
   * Generates the maze and stores labyrinth, tiles and session in one statement (so all or nothing).
   * The seed is honoured when given, otherwise a random one is made and returned.
   */
  async createSession(input: {
    size: number;
    seed?: string | undefined;
    fog?: FogMode | undefined;
    spectatorView?: SpectatorView | undefined;
    /** Seats the room plays itself, seated (and ready) with the session. */
    bots?: number | undefined;
    maxPlayers?: number | undefined;
    visibility?: Visibility | undefined;
  }): Promise<SessionSummary> {
    const maze = generateMaze(input.size, input.seed ?? newMazeSeed());
    const visibility = input.visibility ?? 'public';
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#storeSession(maze, { ...input, visibility, code: visibility === 'private' ? newJoinCode() : null });
      } catch (error) {
        // Only a private session's join code can collide (one in about 10⁸ per session): draw another.
        if (!isUniqueViolation(error) || attempt >= 3) throw error;
      }
    }
  }

  async #storeSession(
    maze: Maze,
    input: {
      fog?: FogMode | undefined;
      spectatorView?: SpectatorView | undefined;
      maxPlayers?: number | undefined;
      visibility: Visibility;
      code: string | null;
      bots?: number | undefined;
    },
  ): Promise<SessionSummary> {
    const summary: SessionSummary = {
      id: randomUUID(),
      labyrinthId: randomUUID(),
      seed: maze.seed,
      size: maze.size,
      startX: maze.startX,
      startY: maze.startY,
      fog: input.fog ?? 'team',
      spectatorView: input.spectatorView ?? 'everything',
      maxPlayers: input.maxPlayers ?? DEFAULT_MAX_PLAYERS,
      visibility: input.visibility,
      code: input.code,
      phase: 'lobby',
      round: 1,
      createdAt: new Date(),
    };
    const bots = Array.from({ length: input.bots ?? 0 }, (_, index) => botSeat(index + 1));
    await storeLabyrinth(this.#em(), summary.labyrinthId, maze, { ...summary, bots });
    return summary;
  }

  /** Whether the database answers, for the `/ready` probe. */
  async checkDatabase(): Promise<{ ok: boolean; reason?: string }> {
    const result = await this.#database.checkConnection();
    return result.ok ? { ok: true } : { ok: false, reason: result.reason };
  }

  /** Newest first; private sessions only for admins (`withPrivate`). */
  async listSessions(page: { limit: number; offset: number; withPrivate: boolean }): Promise<SessionPage> {
    const [sessions, total] = await this.#em().findAndCount(GameSession, page.withPrivate ? {} : { visibility: 'public' }, {
      orderBy: { createdAt: 'desc', id: 'asc' },
      limit: page.limit,
      offset: page.offset,
    });
    return { sessions: sessions.map(toSummary), total, limit: page.limit, offset: page.offset };
  }

  async getSession(sessionId: string): Promise<SessionSummary> {
    return toSummary(await this.#findSession(this.#em(), sessionId));
  }

  /** The private session a join code opens. */
  async findByCode(code: string): Promise<SessionSummary> {
    const session = await this.#em().findOne(GameSession, { code });
    if (!session) throw new NotFoundError('code_not_found', `No session has the join code ${code}`, 'code');
    return toSummary(session);
  }

  /**
   * The session's whole maze: for admins at any time, for anyone else once its round is finished.
   * Read in one snapshot: a new round committed between the reads would otherwise have deleted the
   * labyrinth the session row named.
   */
  async getLabyrinth(sessionId: string, caller: { admin: boolean }): Promise<LabyrinthView> {
    return this.#em().transactional((em) => this.#readLabyrinth(em, sessionId, caller), { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true });
  }

  async #readLabyrinth(em: EntityManager, sessionId: string, caller: { admin: boolean }): Promise<LabyrinthView> {
    const session = await this.#findSession(em, sessionId);
    if (!caller.admin && !mazeIsPublished(session.phase)) {
      throw new ForbiddenError('maze_hidden', 'The maze of a session is published when its round is finished', 'id');
    }
    const labyrinth = await em.findOneOrFail(Labyrinth, session.labyrinth.id);
    const tiles = await em.find(Tile, { labyrinth: labyrinth.id }, { orderBy: { y: 'asc', x: 'asc' } });
    return {
      id: labyrinth.id,
      seed: labyrinth.seed,
      size: labyrinth.size,
      startX: labyrinth.startX,
      startY: labyrinth.startY,
      exit: { x: labyrinth.exitX, y: labyrinth.exitY },
      tiles: tiles.map((tile) => {
        const openDirections = tile.openDirections as Direction[];
        return {
          x: tile.x,
          y: tile.y,
          type: tile.type as TileType,
          openDirections,
          image: tileImageOf(openDirections),
          revealed: tile.revealed,
        };
      }),
    };
  }

  /**
   * Removes the session with its labyrinth; the database cascades to tiles, players and clients.
   * The session row is locked first, as the round writer's flushes do (roundStatements.lockSessions),
   * and its labyrinth read under that lock: a new round committed meanwhile moved it to another one.
   */
  async deleteSession(sessionId: string): Promise<void> {
    await this.#em().transactional(async (em) => {
      const session = await this.#findSession(em, sessionId, LockMode.PESSIMISTIC_WRITE);
      await em.nativeDelete(Labyrinth, { id: session.labyrinth.id });
    });
  }

  /** Removes every session and every labyrinth (the old system left labyrinths behind); sessions locked first, in id order. */
  async deleteAllSessions(): Promise<{ deleted: number }> {
    return this.#em().transactional(async (em) => {
      const locked = await em.find(GameSession, {}, { fields: ['id'], orderBy: { id: 'asc' }, lockMode: LockMode.PESSIMISTIC_WRITE });
      await em.nativeDelete(Labyrinth, {});
      return { deleted: locked.length };
    });
  }

  /** The session with its seated players, oldest seat first: what a room is rebuilt from. */
  async loadSnapshot(sessionId: string): Promise<SessionSnapshot> {
    const em = this.#em();
    const session = await this.#findSession(em, sessionId);
    const players = await em.find(Player, { session: session.id }, { orderBy: { joinedAt: 'asc', id: 'asc' }, populate: ['character'] });
    const revealed = await em.find(Tile, { labyrinth: session.labyrinth.id, revealed: true }, { fields: ['x', 'y'] });
    const trail = await roundTrail(em, session.id);
    return {
      ...toSummary(session),
      moves: trail.moves,
      lastSeq: trail.lastSeq,
      players: players.map(toSeatedPlayer),
      round: session.round,
      startedAt: session.startedAt ?? null,
      finishedAt: session.finishedAt ?? null,
      winner: session.winnerClientId ? { clientId: session.winnerClientId, name: session.winnerName ?? session.winnerClientId } : null,
      revealed: revealed.map((tile) => ({ x: tile.x, y: tile.y })),
    };
  }

  /**
   * Seats a client in a session (ClientSeat + Player rows), or returns its existing seat there.
   * A client sits in at most one session: the unique clientId on ClientSeat enforces it even
   * when two processes race, and the conflict names the session the client is in. Only the room
   * that owns the session (`owner`) seats anyone: another gets a `SessionMovedError`.
   */
  async seatClient(input: { sessionId: string; clientId: string; name: string; owner: SessionOwner }): Promise<SeatedPlayer> {
    try {
      return await this.#em().transactional(async (em) => {
        await lockAsOwner(em, input.sessionId, input.owner);
        const session = await this.#findSession(em, input.sessionId);
        const seat = await em.findOne(ClientSeat, { clientId: input.clientId });
        if (seat && seat.session.id !== session.id) {
          throw seatedElsewhere(input.clientId, seat.session.id);
        }
        const existing = await em.findOne(Player, { session: session.id, clientId: input.clientId });
        if (seat && existing) {
          existing.username = input.name;
          return toSeatedPlayer(existing);
        }
        if (!seat) em.create(ClientSeat, { clientId: input.clientId, session });
        const player =
          existing ??
          em.create(Player, {
            session,
            clientId: input.clientId,
            username: input.name,
            playerX: session.startX,
            playerY: session.startY,
            ready: false,
          });
        await em.flush();
        return toSeatedPlayer(player);
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        const seat = await this.findSeat(input.clientId);
        throw seatedElsewhere(input.clientId, seat?.sessionId ?? 'another session');
      }
      throw error;
    }
  }

  /** The session a client is seated in, if any. */
  async findSeat(clientId: string): Promise<{ sessionId: string; connectedAt: Date } | null> {
    const seat = await this.#em().findOne(ClientSeat, { clientId });
    return seat ? { sessionId: seat.session.id, connectedAt: seat.connectedAt } : null;
  }

  /**
   * A page of the session's audit trail. Callers other than admins get only what is published: the
   * events up to the end of the last finished round (a round in play would give its maze away).
   */
  async listEvents(sessionId: string, page: { after: number; limit: number; admin: boolean }): Promise<EventPage> {
    const em = this.#em();
    const session = await this.#findSession(em, sessionId);
    return readEvents(em, session.id, { after: page.after, limit: page.limit, publishedOnly: !page.admin });
  }

  /** Clients seated in a session, first seated first. */
  async listClients(sessionId: string): Promise<{ clientId: string; connectedAt: Date }[]> {
    const em = this.#em();
    const session = await this.#findSession(em, sessionId);
    const seats = await em.find(ClientSeat, { session: session.id }, { orderBy: { connectedAt: 'asc', id: 'asc' } });
    return seats.map((seat) => ({ clientId: seat.clientId, connectedAt: seat.connectedAt }));
  }

  async #findSession(em: EntityManager, sessionId: string, lockMode?: LockMode): Promise<GameSession> {
    // A malformed id cannot name a session; asking PostgreSQL would fail with a uuid syntax error.
    const session = SESSION_ID_PATTERN.test(sessionId) ? await em.findOne(GameSession, { id: sessionId }, lockMode ? { lockMode } : {}) : null;
    if (!session) {
      throw new NotFoundError('session_not_found', `Session ${sessionId} not found`);
    }
    return session;
  }
}

/** The store is one raw statement (kysely): its driver's error carries PostgreSQL's code, not MikroORM's class. */
function isUniqueViolation(error: unknown): boolean {
  return error instanceof UniqueConstraintViolationException || (error as { code?: unknown } | null)?.code === '23505';
}

function seatedElsewhere(clientId: string, sessionId: string): ConflictError {
  return new ConflictError('client_in_other_session', `Client ${clientId} is already seated in session ${sessionId}; leave it first`, 'clientId', {
    sessionId,
  });
}
