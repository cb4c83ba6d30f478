import type { SqlEntityManager as EntityManager } from '@mikro-orm/postgresql';
import type { Database } from '../database/openDatabase.ts';
import { cellKey } from '../game/fogOfWar.ts';
import type { LogEntry } from '../game/roundLog.ts';
import { PendingAuditRows } from './PendingAuditRows.ts';
import type { RoundEvent } from '../game/roundEvents.ts';
import type { Logger } from '../logger.ts';
import * as statements from './roundStatements.ts';
import type { PlayerChange, RevealedCell } from './roundStatements.ts';

/** Where a batch of events happened: the session, and the labyrinth it was played on (a `new_round` brings its own). */
export type RoundRef = { sessionId: string; labyrinthId: string };

/** A revealed tile, with the session it was seen in (a deleted session's tiles are not written). */
type PendingCell = RevealedCell & { sessionId: string };
/** Readiness, positions and revealed tiles, coalesced (only the latest value of each is written), and audit trail entries. */
type Changes = { kind: 'changes'; players: Map<string, PlayerChange>; cells: Map<string, PendingCell>; log: PendingAuditRows };
/** Anything else about one session, written in its turn. */
type Statement = { kind: 'statement'; sessionId: string; run: (em: EntityManager) => Promise<void> };
type Step = Changes | Statement;

type Deferred = { promise: Promise<void>; resolve: () => void };

/** The longest a failed flush waits before it is tried again. */
const MAX_RETRY_MS = 5000;

/**
 * Writes what happens in every room of this process in batches, instead of one transaction per
 * change. Changes wait at most `intervalMs` (the most a crash can lose of readiness, positions and
 * revealed tiles), then everything pending is written in one transaction, in the order it happened,
 * with set-based statements. A round's result, a new round and a freed seat are flushed at once.
 * A failed flush keeps its writes and is tried again, with backoff, until the database answers.
 * A flush first locks the sessions it writes, in id order, as deleting a session does (so the two
 * never deadlock), and drops what it holds for sessions deleted meanwhile: those writes cannot land.
 */
export class RoundWriter {
  readonly #database: Database;
  readonly #intervalMs: number;
  readonly #logger: Logger;
  #steps: Step[] = [];
  /** Settles when the next flush has written what is pending. */
  #next: Deferred | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #failures = 0;

  constructor(database: Database, options: { intervalMs: number; logger: Logger }) {
    this.#database = database;
    this.#intervalMs = options.intervalMs;
    this.#logger = options.logger;
  }

  /**
   * Queues the rows `events` imply, and their audit trail entries (`log`); resolves once they are
   * written. The entries travel with the batch they belong to, so logging costs no write of its own.
   */
  record(ref: RoundRef, events: readonly RoundEvent[], log: readonly LogEntry[] = []): Promise<void> {
    let urgent = false;
    let queued = log.length > 0;
    if (queued) {
      const pending = this.#changes().log;
      for (const entry of log) pending.append(ref.sessionId, entry);
    }
    for (const event of events) {
      const kind = this.#queue(ref, event);
      queued ||= kind !== 'nothing';
      urgent ||= kind === 'urgent';
    }
    return queued ? this.#flushAfter(urgent ? 0 : this.#intervalMs) : Promise.resolve();
  }

  /** Frees a seat the database holds, in its turn; false when it held none. */
  async unseat(sessionId: string, clientId: string): Promise<boolean> {
    let removed = false;
    this.#statement(sessionId, async (em) => {
      removed = await statements.freeSeat(em, sessionId, clientId);
    });
    await this.#flushAfter(0);
    return removed;
  }

  /** Writes everything pending now; resolves once it is written. */
  flush(): Promise<void> {
    return this.#steps.length > 0 ? this.#flushAfter(0) : (this.#running ?? Promise.resolve());
  }

  /** Queues one event's rows; says whether they must be written at once. */
  #queue({ sessionId, labyrinthId }: RoundRef, event: RoundEvent): 'nothing' | 'batched' | 'urgent' {
    switch (event.type) {
      case 'ready_changed':
        this.#player(sessionId, event.clientId).ready = event.ready;
        return 'batched';
      case 'player_moved':
        Object.assign(this.#player(sessionId, event.clientId), event.to);
        this.#reveal(sessionId, labyrinthId, event.revealed);
        return 'batched';
      case 'round_started':
        this.#statement(sessionId, (em) => statements.startRound(em, sessionId, new Date(event.startedAt), event.start));
        this.#reveal(sessionId, labyrinthId, event.revealed);
        return 'batched';
      case 'character_picked':
        // In its turn, not coalesced: characters are unique per session, so a swap must land in order.
        this.#statement(sessionId, (em) => statements.setCharacter(em, sessionId, event.clientId, event.character.id));
        return 'batched';
      case 'round_finished':
        this.#statement(sessionId, (em) => statements.finishRound(em, sessionId, event.winner, new Date(event.finishedAt)));
        return 'urgent';
      case 'new_round':
        this.#statement(sessionId, (em) => statements.newRound(em, sessionId, { round: event.round, labyrinthId: event.labyrinthId, maze: event.maze }));
        return 'urgent';
      case 'player_left':
        this.#statement(sessionId, async (em) => void (await statements.freeSeat(em, sessionId, event.clientId)));
        return 'urgent';
      // A seat is written when it is taken (SessionService.seatClient), before its join completes.
      case 'player_joined':
      case 'seat_taken_over':
      // Connections, spectators, the countdown and chat live only as long as the room.
      case 'player_dropped':
      case 'player_reconnected':
      case 'spectator_joined':
      case 'spectator_left':
      case 'countdown_started':
      case 'countdown_cancelled':
      case 'chat_said':
        return 'nothing';
      default:
        event satisfies never;
        return 'nothing';
    }
  }

  #changes(): Changes {
    const last = this.#steps.at(-1);
    if (last?.kind === 'changes') return last;
    const changes: Changes = { kind: 'changes', players: new Map(), cells: new Map(), log: new PendingAuditRows() };
    this.#steps.push(changes);
    return changes;
  }

  #player(sessionId: string, clientId: string): PlayerChange {
    const { players } = this.#changes();
    const key = `${sessionId}/${clientId}`;
    let change = players.get(key);
    if (!change) {
      change = { sessionId, clientId, ready: null, x: null, y: null };
      players.set(key, change);
    }
    return change;
  }

  #reveal(sessionId: string, labyrinthId: string, cells: readonly { x: number; y: number }[]): void {
    const pending = this.#changes().cells;
    for (const { x, y } of cells) pending.set(`${labyrinthId}/${cellKey({ x, y })}`, { sessionId, labyrinthId, x, y });
  }

  #statement(sessionId: string, run: Statement['run']): void {
    this.#steps.push({ kind: 'statement', sessionId, run });
  }

  /** Makes sure a flush runs within `delayMs`; settles when what is pending now is written. */
  #flushAfter(delayMs: number): Promise<void> {
    // Taken before a flush starts: starting one hands it `#next` and clears the field.
    const next = (this.#next ??= deferred());
    if (delayMs === 0) this.#flushSoon();
    else this.#timer ??= setTimeout(() => this.#flushSoon(), delayMs).unref();
    return next.promise;
  }

  #flushSoon(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // One flush at a time: what arrives meanwhile goes into the next one, in order.
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
      if (this.#steps.length > 0 && this.#failures === 0) this.#flushSoon();
    });
  }

  async #run(): Promise<void> {
    const steps = this.#steps;
    const done = this.#next;
    this.#steps = [];
    this.#next = undefined;
    if (steps.length === 0) return done?.resolve();
    try {
      const deleted = await this.#database.em.fork().transactional(async (em) => {
        const written = sessionsOf(steps);
        // Locked until the commit: a session can no longer be deleted under this flush.
        const live = await statements.lockSessions(em, [...written]);
        for (const step of steps) await write(em, step, live);
        return [...written].filter((sessionId) => !live.has(sessionId));
      });
      this.#failures = 0;
      // Said once: the dropped writes are gone, and a deleted session gets no new ones.
      if (deleted.length > 0) this.#logger.warn({ sessionIds: deleted }, 'writes for deleted sessions dropped');
      done?.resolve();
    } catch (error) {
      // Nothing is lost: the writes go back in front of what came since, and are tried again.
      this.#steps = [...steps, ...this.#steps];
      this.#next ??= deferred();
      if (done) void this.#next.promise.then(done.resolve);
      this.#failures += 1;
      const retryMs = Math.min(this.#intervalMs * 2 ** this.#failures, MAX_RETRY_MS);
      this.#logger.error({ err: error, pendingSteps: this.#steps.length, retryMs, failures: this.#failures }, 'session writes failed; retrying');
      setTimeout(() => this.#flushSoon(), retryMs).unref();
    }
  }
}

/** Writes a step's rows for the sessions that still exist (`live`). */
async function write(em: EntityManager, step: Step, live: ReadonlySet<string>): Promise<void> {
  const kept = ({ sessionId }: { sessionId: string }) => live.has(sessionId);
  if (step.kind === 'statement') return kept(step) ? step.run(em) : undefined;
  await statements.updatePlayers(em, [...step.players.values()].filter(kept));
  await statements.revealTiles(em, [...step.cells.values()].filter(kept));
  await statements.appendToLog(em, step.log, live);
}

/** Every session the steps write to. */
function sessionsOf(steps: readonly Step[]): Set<string> {
  const sessionIds = new Set<string>();
  for (const step of steps) {
    if (step.kind === 'statement') sessionIds.add(step.sessionId);
    else {
      for (const rows of [step.players.values(), step.cells.values()]) for (const { sessionId } of rows) sessionIds.add(sessionId);
      for (const sessionId of step.log.sessionIds) sessionIds.add(sessionId);
    }
  }
  return sessionIds;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}
