import type { SqlEntityManager as EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import type { LogEntry } from '../game/roundLog.ts';

// Reading a session's audit trail (table session_event, written by RoundWriter in its batches).

/** A page of the audit trail, oldest first. */
export type EventPage = {
  events: (Omit<LogEntry, 'at'> & { at: Date })[];
  /** Whether events after the last one shown may be read now (ask again with `after` = its seq). */
  more: boolean;
};

/**
 * The events after `after`, at most `limit`. `publishedOnly` stops at the last finished round:
 * what comes after it (a lobby, a new maze's seed, a round in play) is not public yet.
 */
export async function readEvents(em: EntityManager, sessionId: string, page: { after: number; limit: number; publishedOnly: boolean }): Promise<EventPage> {
  const through = page.publishedOnly
    ? sql`and "seq" <= coalesce((select max("seq") from "session_event" where "session_id" = ${sessionId} and "type" = 'round_finished'), 0)`
    : sql``;
  const rows = await sql<{ seq: number; at: Date; actor: string | null; type: LogEntry['type']; data: Record<string, unknown> }>`
    select "seq", "at", "actor", "type", "data" from "session_event"
    where "session_id" = ${sessionId} and "seq" > ${page.after} ${through}
    order by "seq" limit ${page.limit + 1}`.execute(em.getKysely());
  const events = rows.rows.slice(0, page.limit).map((row) => ({ ...row, at: new Date(row.at) }));
  return { events, more: rows.rows.length > page.limit };
}

/** The current round's moves (each player's own knowledge is rebuilt from them) and the last seq written. */
export async function roundTrail(
  em: EntityManager,
  sessionId: string,
): Promise<{ moves: { clientId: string; to: { x: number; y: number } }[]; lastSeq: number }> {
  const kysely = em.getKysely();
  const last = await sql<{ seq: number | null; started: number | null }>`
    select max("seq") as "seq", max(case when "type" = 'round_started' then "seq" end) as "started"
    from "session_event" where "session_id" = ${sessionId}`.execute(kysely);
  const { seq, started } = last.rows[0] ?? { seq: null, started: null };
  const moves = await sql<{ actor: string; data: { to: { x: number; y: number } } }>`
    select "actor", "data" from "session_event"
    where "session_id" = ${sessionId} and "type" = 'player_moved' and "seq" > ${started ?? 0}
    order by "seq"`.execute(kysely);
  return { moves: moves.rows.map((row) => ({ clientId: row.actor, to: row.data.to })), lastSeq: seq ?? 0 };
}
