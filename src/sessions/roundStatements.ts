import type { SqlEntityManager as EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { ClientSeat, GameSession, Labyrinth, Player } from '../database/entities/index.ts';
import type { Cell } from '../game/moveRules.ts';
import type { Maze } from '../maze/generateMaze.ts';
import type { SessionOwner } from './ownershipStatements.ts';
import type { PendingAuditRows } from './PendingAuditRows.ts';
import { storeLabyrinth } from './storeLabyrinth.ts';

// The statements a round's events are written with. The frequent ones (readiness, positions,
// revealed tiles) are set-based: one statement for every row changed since the last flush, whatever
// the number of players or rooms, with the rows passed as arrays (`unnest`). SQL that PostgreSQL 15
// and PGlite (18) both accept.

/** A player's latest readiness and position; null: unchanged since the last flush. */
export type PlayerChange = { sessionId: string; clientId: string; ready: boolean | null; x: number | null; y: number | null };

/** A tile some player has seen. */
export type RevealedCell = Cell & { labyrinthId: string };

/**
 * Locks the sessions a flush writes to until its commit, in id order, and returns those that still
 * exist, with who owns each (null: nobody). Every transaction that writes a session's rows takes its
 * session row first (deleting a session takes it `for update`, a claim too): one total order, so a
 * flush and a deletion, or two flushes, never wait for each other in a circle, and a room taking the
 * session over waits for the flush. `no key update` leaves seating (a foreign key's `key share`) free.
 */
export async function lockSessions(em: EntityManager, sessionIds: string[]): Promise<Map<string, SessionOwner | null>> {
  if (sessionIds.length === 0) return new Map();
  const { rows } = await sql<{ id: string; owner_epoch: number; owner_process: string | null }>`
    select "id", "owner_epoch", "owner_process" from "game_session" where "id" = any(${sessionIds}::uuid[]) order by "id" for no key update`.execute(
    em.getKysely(),
  );
  return new Map(rows.map((row) => [row.id, row.owner_process === null ? null : { epoch: row.owner_epoch, processId: row.owner_process }]));
}

/** Writes each player's latest readiness and position in one statement. */
export async function updatePlayers(em: EntityManager, changes: PlayerChange[]): Promise<void> {
  if (changes.length === 0) return;
  await sql`
    update "player" as p set
      "ready" = coalesce(v.ready, p."ready"),
      "player_x" = coalesce(v.x, p."player_x"),
      "player_y" = coalesce(v.y, p."player_y")
    from unnest(
      ${changes.map((change) => change.sessionId)}::uuid[],
      ${changes.map((change) => change.clientId)}::varchar[],
      ${changes.map((change) => change.ready)}::boolean[],
      ${changes.map((change) => change.x)}::smallint[],
      ${changes.map((change) => change.y)}::smallint[]
    ) as v(session_id, client_id, ready, x, y)
    where p."session_id" = v.session_id and p."client_id" = v.client_id`.execute(em.getKysely());
}

/** Marks tiles as seen (fog of war survives restarts), in one statement. */
export async function revealTiles(em: EntityManager, cells: RevealedCell[]): Promise<void> {
  if (cells.length === 0) return;
  await sql`
    update "tile" as t set "revealed" = true
    from unnest(
      ${cells.map((cell) => cell.labyrinthId)}::uuid[],
      ${cells.map((cell) => cell.x)}::smallint[],
      ${cells.map((cell) => cell.y)}::smallint[]
    ) as v(labyrinth_id, x, y)
    where t."labyrinth_id" = v.labyrinth_id and t."x" = v.x and t."y" = v.y and not t."revealed"`.execute(em.getKysely());
}

/**
 * Appends the audit trail entries of the sessions whose rows are kept (still there, still owned by the
 * room that recorded them: `kept`), in one statement. The entries arrive as one JSON array
 * (PendingAuditRows), sent as bytes: no parameter per entry.
 */
export async function appendToLog(em: EntityManager, rows: PendingAuditRows, kept: ReadonlySet<string>): Promise<void> {
  if (rows.isEmpty) return;
  await sql`
    insert into "session_event" ("session_id", "seq", "at", "actor", "type", "data")
    select e.session_id, e.seq, to_timestamp(e.at / 1000.0), e.actor, e.type, e.data
    from json_to_recordset(${rows.json()}::json) as e(session_id uuid, seq int, at float8, actor varchar, type varchar, data jsonb)
    where e.session_id = any(${[...kept]}::uuid[])
    -- A flush retried after its answer was lost must not fail on the events it did write.
    on conflict ("session_id", "seq") do nothing`.execute(em.getKysely());
}

/** Frees a client's seat in a session (Player and ClientSeat rows); false when it had none there. */
export async function freeSeat(em: EntityManager, sessionId: string, clientId: string): Promise<boolean> {
  const players = await em.nativeDelete(Player, { session: sessionId, clientId });
  const seats = await em.nativeDelete(ClientSeat, { session: sessionId, clientId });
  return players + seats > 0;
}

/** Records a player's character; the database keeps it unique per session. */
export async function setCharacter(em: EntityManager, sessionId: string, clientId: string, entityId: string): Promise<void> {
  await em.nativeUpdate(Player, { session: sessionId, clientId }, { character: entityId });
}

/** The round begins: phase `playing`, every player on the start cell. */
export async function startRound(em: EntityManager, sessionId: string, startedAt: Date, start: Cell): Promise<void> {
  await em.nativeUpdate(GameSession, { id: sessionId }, { phase: 'playing', startedAt, finishedAt: null, winnerClientId: null, winnerName: null });
  await em.nativeUpdate(Player, { session: sessionId }, { playerX: start.x, playerY: start.y });
}

export async function finishRound(em: EntityManager, sessionId: string, winner: { clientId: string; name: string }, finishedAt: Date): Promise<void> {
  await em.nativeUpdate(GameSession, { id: sessionId }, { phase: 'finished', finishedAt, winnerClientId: winner.clientId, winnerName: winner.name });
}

/**
 * Another round on a new maze: a new labyrinth with its tiles, every player back on the new start,
 * not ready, characters kept. The old labyrinth is deleted after the session moved to the new one.
 */
export async function newRound(em: EntityManager, sessionId: string, next: { round: number; labyrinthId: string; maze: Maze }): Promise<void> {
  const { maze } = next;
  const session = await em.findOneOrFail(GameSession, { id: sessionId });
  const oldLabyrinthId = session.labyrinth.id;
  await storeLabyrinth(em, next.labyrinthId, maze);
  await em.nativeUpdate(
    GameSession,
    { id: sessionId },
    {
      labyrinth: next.labyrinthId,
      seed: maze.seed,
      startX: maze.startX,
      startY: maze.startY,
      phase: 'lobby',
      round: next.round,
      startedAt: null,
      finishedAt: null,
      winnerClientId: null,
      winnerName: null,
    },
  );
  await em.nativeUpdate(Player, { session: sessionId }, { playerX: maze.startX, playerY: maze.startY, ready: false });
  await em.nativeDelete(Labyrinth, { id: oldLabyrinthId });
}
