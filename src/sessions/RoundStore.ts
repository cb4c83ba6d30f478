import type { EntityManager } from '@mikro-orm/core';
import type { Database } from '../database/openDatabase.ts';
import { GameSession, Labyrinth, MobileClient, Player, Tile } from '../database/entities/index.ts';
import type { Cell } from '../game/moveRules.ts';
import type { RoundEvent } from '../game/roundEvents.ts';
import { generateMaze } from '../maze/generateMaze.ts';
import { storeLabyrinth } from './storeLabyrinth.ts';

/** The session a batch of events happened in, and the labyrinth it was played on (a `new_round` brings its own). */
export type RoundRef = { sessionId: string; labyrinthId: string; size: number };

/**
 * Writes what happens in a session's rounds: the rows each round event implies (readiness,
 * characters, positions, revealed tiles, the phase and result, a new round's labyrinth, a freed
 * seat), so that a room can always be rebuilt from the database. Events that change nothing durable
 * (connections, spectators, countdowns, chat) write nothing.
 */
export class RoundStore {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  /** Frees a client's seat in a session (Player and MobileClient rows); false when it had none there. */
  async unseat(sessionId: string, clientId: string): Promise<boolean> {
    return this.#database.em.fork().transactional(async (em) => {
      const players = await em.nativeDelete(Player, { session: sessionId, clientId });
      const seats = await em.nativeDelete(MobileClient, { session: sessionId, clientId });
      return players + seats > 0;
    });
  }

  /** Writes the rows of `events`, in order. */
  async write(ref: RoundRef, events: readonly RoundEvent[]): Promise<void> {
    for (const event of events) await this.#writeOne(ref, event);
  }

  /** Whether any of `events` has rows to write (so that callers can skip an empty write). */
  static writesAny(events: readonly RoundEvent[]): boolean {
    return events.some((event) => DURABLE.has(event.type));
  }

  async #writeOne({ sessionId, labyrinthId, size }: RoundRef, event: RoundEvent): Promise<void> {
    const em = this.#database.em.fork();
    switch (event.type) {
      case 'player_left':
        await this.unseat(sessionId, event.clientId);
        return;
      case 'ready_changed':
        await em.nativeUpdate(Player, { session: sessionId, clientId: event.clientId }, { ready: event.ready });
        return;
      case 'character_picked':
        await em.nativeUpdate(Player, { session: sessionId, clientId: event.clientId }, { character: event.character.id });
        return;
      case 'round_started':
        await em.transactional(async (tx) => {
          const startedAt = new Date(event.startedAt);
          await tx.nativeUpdate(GameSession, { id: sessionId }, { phase: 'playing', startedAt, finishedAt: null, winnerClientId: null, winnerName: null });
          await tx.nativeUpdate(Player, { session: sessionId }, { playerX: event.start.x, playerY: event.start.y });
        });
        await revealTiles(em, labyrinthId, event.revealed);
        return;
      case 'player_moved':
        await em.nativeUpdate(Player, { session: sessionId, clientId: event.clientId }, { playerX: event.to.x, playerY: event.to.y });
        await revealTiles(em, labyrinthId, event.revealed);
        return;
      case 'round_finished':
        await em.nativeUpdate(
          GameSession,
          { id: sessionId },
          { phase: 'finished', finishedAt: new Date(event.finishedAt), winnerClientId: event.winner.clientId, winnerName: event.winner.name },
        );
        return;
      case 'new_round':
        await newRound(em, sessionId, event, generateMaze(size, event.seed));
        return;
      default:
        return;
    }
  }
}

/** The events that have rows to write. */
const DURABLE = new Set<RoundEvent['type']>(['player_left', 'ready_changed', 'character_picked', 'round_started', 'player_moved', 'round_finished', 'new_round']);

/** Marks tiles of a labyrinth as seen (fog of war survives restarts). One statement per move. */
async function revealTiles(em: EntityManager, labyrinthId: string, cells: Cell[]): Promise<void> {
  if (cells.length === 0) return;
  await em.nativeUpdate(Tile, { labyrinth: labyrinthId, $or: cells.map(({ x, y }) => ({ x, y })) }, { revealed: true });
}

/**
 * Another round on a new maze: a new labyrinth with its tiles, every player back on the new start,
 * not ready, characters kept. The old labyrinth is deleted after the session moved to the new one.
 */
async function newRound(
  em: EntityManager,
  sessionId: string,
  event: Extract<RoundEvent, { type: 'new_round' }>,
  maze: ReturnType<typeof generateMaze>,
): Promise<void> {
  await em.transactional(async (tx) => {
    const session = await tx.findOneOrFail(GameSession, { id: sessionId });
    const oldLabyrinthId = session.labyrinth.id;
    await storeLabyrinth(tx, event.labyrinthId, maze);
    await tx.nativeUpdate(
      GameSession,
      { id: sessionId },
      {
        labyrinth: event.labyrinthId,
        seed: maze.seed,
        startX: maze.startX,
        startY: maze.startY,
        phase: 'lobby',
        round: event.round,
        startedAt: null,
        finishedAt: null,
        winnerClientId: null,
        winnerName: null,
      },
    );
    await tx.nativeUpdate(Player, { session: sessionId }, { playerX: maze.startX, playerY: maze.startY, ready: false });
    await tx.nativeDelete(Labyrinth, { id: oldLabyrinthId });
  });
}
