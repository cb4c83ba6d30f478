import { setTimeout as sleep } from 'node:timers/promises';
import type { SqlEntityManager as EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import type { Database } from '../database/openDatabase.ts';
import type { Logger } from '../logger.ts';
import { lockSessions } from './roundStatements.ts';

/** How often a process looks for rounds past the retention (and once, a minute after it starts). */
const SWEEP_EVERY_MS = 60 * 60 * 1000;
const FIRST_SWEEP_AFTER_MS = 60 * 1000;
/** Rows one statement deletes at most: a short transaction, so rooms' writes never wait long behind it. */
const ROWS_PER_DELETE = 5000;
/** Sessions looked at per query, and queries per sweep: what is left waits for the next sweep. */
const SESSIONS_PER_QUERY = 1000;
const QUERIES_PER_SWEEP = 100;

export type RetentionSweep = { sessions: number; deletedEvents: number };

/**
 * Bounds the audit trail (table session_event, ~210 bytes per event; docs/operations.md#database-growth): a round that
 * finished more than EVENT_RETENTION_DAYS ago keeps only its `round_finished` event (who won, when);
 * its other events, and those before it, are deleted, a whole round at a time, so a round's trail
 * either replays whole or is reduced to its result. The kept events also keep the numbering going
 * (a room numbers its next events from the last). The sessions, the current round and anything not
 * finished are never touched: a room is still rebuilt from the database.
 *
 * Every process sweeps (an hour apart); two sweeps of one session take its row lock in turn, the
 * same lock order as the RoundWriter and deletions, and the second finds nothing left. On PGlite,
 * which runs no autovacuum, a sweep that deleted rows vacuums the table so the space is reused.
 */
export class AuditTrailRetention {
  readonly #database: Database;
  readonly #retentionDays: number;
  readonly #logger: Logger;
  readonly #embedded: boolean;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(database: Database, options: { retentionDays: number; embedded: boolean; logger: Logger }) {
    this.#database = database;
    this.#retentionDays = options.retentionDays;
    this.#embedded = options.embedded;
    this.#logger = options.logger;
  }

  /** Sweeps a minute after the start and every hour after; nothing when the retention is 0 (keep for ever). */
  start(): this {
    if (this.#retentionDays === 0) return this;
    const sweepSoon = (after: number) => {
      this.#timer = setTimeout(() => {
        this.sweep()
          .then((done) => done.deletedEvents > 0 && this.#logger.info(done, 'deleted the audit trail of rounds past EVENT_RETENTION_DAYS'))
          // A sweep cut by the shutdown (the database closing under it) is no failure to report.
          .catch((error: unknown) => this.#stopped || this.#logger.warn({ err: error }, 'audit trail retention sweep failed; tried again in an hour'))
          .finally(() => this.#stopped || sweepSoon(SWEEP_EVERY_MS));
      }, after);
      this.#timer.unref();
    };
    sweepSoon(FIRST_SWEEP_AFTER_MS);
    return this;
  }

  /** Stops sweeping (a sweep under way is left to the database's closing: it deletes whole batches or nothing). */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /** Deletes the trail of every round that finished before `now` minus the retention; what it deleted. */
  async sweep(now = new Date()): Promise<RetentionSweep> {
    if (this.#retentionDays === 0) return { sessions: 0, deletedEvents: 0 };
    const before = new Date(now.getTime() - this.#retentionDays * 24 * 60 * 60 * 1000);
    const done: RetentionSweep = { sessions: 0, deletedEvents: 0 };
    for (let query = 0; query < QUERIES_PER_SWEEP; query++) {
      const due = await this.#dueRounds(before);
      for (const { sessionId, throughSeq } of due) {
        done.deletedEvents += await this.#deleteThrough(sessionId, throughSeq);
        done.sessions += 1;
      }
      if (due.length < SESSIONS_PER_QUERY) break;
    }
    if (this.#embedded && done.deletedEvents > 0) await sql`vacuum "session_event"`.execute(this.#database.em.fork().getKysely());
    return done;
  }

  /**
   * The sessions with events to delete, each with the seq of its last round that finished before
   * `before`: those with an older event other than a kept `round_finished`. Only the events before
   * `before` are read (the index on `at`): what is left of earlier sweeps is one row per round.
   */
  async #dueRounds(before: Date): Promise<{ sessionId: string; throughSeq: number }[]> {
    const { rows } = await sql<{ sessionId: string; throughSeq: number }>`
      select "session_id" as "sessionId", max("seq") filter (where "type" = 'round_finished') as "throughSeq"
      from "session_event" where "at" < ${before}
      group by "session_id"
      having min("seq") filter (where "type" <> 'round_finished') < max("seq") filter (where "type" = 'round_finished')
      limit ${SESSIONS_PER_QUERY}`.execute(this.#database.em.fork().getKysely());
    return rows;
  }

  /** Deletes a session's events through `throughSeq`, a few thousand per transaction. */
  async #deleteThrough(sessionId: string, throughSeq: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const count = await this.#database.em.fork().transactional(async (em) => {
        if ((await lockSessions(em, [sessionId])).size === 0) return 0;
        const result = await sql`
          delete from "session_event" where "session_id" = ${sessionId} and "seq" in (
            select "seq" from "session_event"
            where "session_id" = ${sessionId} and "seq" < ${throughSeq} and "type" <> 'round_finished'
            order by "seq" limit ${ROWS_PER_DELETE})`.execute((em as EntityManager).getKysely());
        return Number(result.numAffectedRows ?? 0);
      });
      deleted += count;
      if (count < ROWS_PER_DELETE) return deleted;
      // Rooms go first: the next batch waits for the event loop to have served them.
      await sleep(0);
    }
  }
}
