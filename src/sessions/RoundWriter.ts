import type { SqlEntityManager as EntityManager } from '@mikro-orm/postgresql';
import type { Database } from '../database/openDatabase.ts';
import { cellKey } from '../game/fogOfWar.ts';
import type { LogEntry } from '../game/roundLog.ts';
import { PendingAuditRows } from './PendingAuditRows.ts';
import type { RoundEvent } from '../game/roundEvents.ts';
import type { Logger } from '../logger.ts';
import type { SessionOwner } from './ownershipStatements.ts';
import * as statements from './roundStatements.ts';
import type { PlayerChange, RevealedCell } from './roundStatements.ts';
import { SessionMovedError } from './SessionMovedError.ts';

/**
 * Where a batch of events happened: the session, the labyrinth it was played on (a `new_round`
 * brings its own), and the epoch of the room that owns the session (its fencing token, see
 * src/ownership/SessionOwnership.ts): the rows are written only while the session is still its.
 */
export type RoundRef = { sessionId: string; labyrinthId: string; epoch: number };

/** A revealed tile, with the session it was seen in (a deleted session's tiles are not written). */
type PendingCell = RevealedCell & { sessionId: string };
/**
 * Readiness, positions and revealed tiles, coalesced (only the latest value of each is written), and
 * audit trail entries; `epochs`: the epoch each session's rows were recorded under (a room of another
 * epoch starts a new step).
 */
type Changes = {
  kind: 'changes';
  epochs: Map<string, number>;
  players: Map<string, PlayerChange>;
  cells: Map<string, PendingCell>;
  log: PendingAuditRows;
};
/** Anything else about one session, written in its turn. */
type Statement = { kind: 'statement'; sessionId: string; epoch: number; run: (em: EntityManager) => Promise<void> };
type Step = Changes | Statement;

/** A flush's outcome for those waiting on it: the rooms (`roomKey`) whose rows it refused, as another room owns their session now. */
type Fenced = ReadonlySet<string>;
/** A room, as the writer tells them apart: its session and the epoch it holds it with. */
const roomKey = (sessionId: string, epoch: number) => `${sessionId}@${epoch}`;
type Deferred = { promise: Promise<Fenced>; resolve: (fenced: Fenced) => void };

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
 * The same lock fences every write: a session's rows are written only if the room that recorded
 * them still owns it (its epoch and this process), and a room taking a session over must wait for
 * the flush to commit. Fenced rows are dropped, `onFenced` tells their room, and whoever waits on
 * them gets a `SessionMovedError`.
 */
export class RoundWriter {
  readonly #database: Database;
  readonly #intervalMs: number;
  readonly #logger: Logger;
  readonly #processId: () => string;
  readonly #onFenced: (sessionId: string, epoch: number) => void;
  #steps: Step[] = [];
  /** Settles when the next flush has written what is pending. */
  #next: Deferred | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #failures = 0;
  /** When (performance.now()) the oldest row not yet handed to a flush was recorded; the oldest row of the flush under way. */
  #queuedSince: number | undefined;
  #flushingSince: number | undefined;

  /** `processId`: this process's (Colyseus's processId, known once the matchmaker runs); `onFenced`: a room's rows were refused. */
  constructor(
    database: Database,
    options: { intervalMs: number; logger: Logger; processId: () => string; onFenced?: (sessionId: string, epoch: number) => void },
  ) {
    this.#database = database;
    this.#intervalMs = options.intervalMs;
    this.#logger = options.logger;
    this.#processId = options.processId;
    this.#onFenced = options.onFenced ?? (() => undefined);
  }

  /**
   * Queues the rows `events` imply, and their audit trail entries (`log`); resolves once they are
   * written, and rejects with a `SessionMovedError` if they were refused (the session is another
   * room's now). The entries travel with the batch they belong to, so logging costs no write of its own.
   */
  record(ref: RoundRef, events: readonly RoundEvent[], log: readonly LogEntry[] = []): Promise<void> {
    let urgent = false;
    let queued = log.length > 0;
    if (queued) {
      const pending = this.#changes(ref).log;
      for (const entry of log) pending.append(ref.sessionId, entry);
    }
    for (const event of events) {
      const kind = this.#queue(ref, event);
      queued ||= kind !== 'nothing';
      urgent ||= kind === 'urgent';
    }
    if (queued) this.#queuedSince ??= performance.now();
    return queued ? this.#written(ref, this.#flushAfter(urgent ? 0 : this.#intervalMs)) : Promise.resolve();
  }

  /** Frees a seat the database holds, in its turn; false when it held none. */
  async unseat(ref: Omit<RoundRef, 'labyrinthId'>, clientId: string): Promise<boolean> {
    let removed = false;
    this.#statement(ref, async (em) => {
      removed = await statements.freeSeat(em, ref.sessionId, clientId);
    });
    this.#queuedSince ??= performance.now();
    await this.#written(ref, this.#flushAfter(0));
    return removed;
  }

  /** Writes everything pending now; resolves once it is written (or refused). */
  flush(): Promise<void> {
    const pending = this.#steps.length > 0 ? this.#flushAfter(0) : this.#running;
    return pending ? pending.then(() => undefined) : Promise.resolve();
  }

  /**
   * How long the oldest row not yet written has waited (0: none waits). About the flush interval at
   * most while the database answers; it grows while writes fail or hang.
   */
  unwrittenForMs(now = performance.now()): number {
    const oldest = this.#flushingSince ?? this.#queuedSince;
    return oldest === undefined ? 0 : now - oldest;
  }

  /** Settles when the flush that `flushed` waits for is done: rejects if it refused the room's rows. */
  async #written({ sessionId, epoch }: Omit<RoundRef, 'labyrinthId'>, flushed: Promise<Fenced>): Promise<void> {
    if ((await flushed).has(roomKey(sessionId, epoch))) throw new SessionMovedError(sessionId);
  }

  /** Queues one event's rows; says whether they must be written at once. */
  #queue(ref: RoundRef, event: RoundEvent): 'nothing' | 'batched' | 'urgent' {
    const { sessionId } = ref;
    switch (event.type) {
      case 'ready_changed':
        this.#player(ref, event.clientId).ready = event.ready;
        return 'batched';
      case 'player_moved':
        Object.assign(this.#player(ref, event.clientId), event.to);
        this.#reveal(ref, event.revealed);
        return 'batched';
      case 'round_started':
        this.#statement(ref, (em) => statements.startRound(em, sessionId, new Date(event.startedAt), event.start));
        this.#reveal(ref, event.revealed);
        return 'batched';
      case 'character_picked':
        // In its turn, not coalesced: characters are unique per session, so a swap must land in order.
        this.#statement(ref, (em) => statements.setCharacter(em, sessionId, event.clientId, event.character.id));
        return 'batched';
      case 'round_finished':
        this.#statement(ref, (em) => statements.finishRound(em, sessionId, event.winner, new Date(event.finishedAt)));
        return 'urgent';
      case 'new_round':
        this.#statement(ref, (em) => statements.newRound(em, sessionId, { round: event.round, labyrinthId: event.labyrinthId, maze: event.maze }));
        return 'urgent';
      case 'player_left':
      case 'player_kicked':
        this.#statement(ref, async (em) => void (await statements.freeSeat(em, sessionId, event.clientId)));
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

  /** The step the session's coalesced rows go to: the last one, unless it holds rows of another epoch of the session. */
  #changes({ sessionId, epoch }: Pick<RoundRef, 'sessionId' | 'epoch'>): Changes {
    const last = this.#steps.at(-1);
    const recorded = last?.kind === 'changes' ? last.epochs.get(sessionId) : undefined;
    if (last?.kind === 'changes' && (recorded === undefined || recorded === epoch)) {
      if (recorded === undefined) last.epochs.set(sessionId, epoch);
      return last;
    }
    const changes: Changes = { kind: 'changes', epochs: new Map([[sessionId, epoch]]), players: new Map(), cells: new Map(), log: new PendingAuditRows() };
    this.#steps.push(changes);
    return changes;
  }

  #player(ref: RoundRef, clientId: string): PlayerChange {
    const { sessionId } = ref;
    const { players } = this.#changes(ref);
    const key = `${sessionId}/${clientId}`;
    let change = players.get(key);
    if (!change) {
      change = { sessionId, clientId, ready: null, x: null, y: null };
      players.set(key, change);
    }
    return change;
  }

  #reveal(ref: RoundRef, cells: readonly { x: number; y: number }[]): void {
    const { sessionId, labyrinthId } = ref;
    const pending = this.#changes(ref).cells;
    for (const { x, y } of cells) pending.set(`${labyrinthId}/${cellKey({ x, y })}`, { sessionId, labyrinthId, x, y });
  }

  #statement({ sessionId, epoch }: Omit<RoundRef, 'labyrinthId'>, run: Statement['run']): void {
    this.#steps.push({ kind: 'statement', sessionId, epoch, run });
  }

  /** Makes sure a flush runs within `delayMs`; settles when what is pending now is written (or refused). */
  #flushAfter(delayMs: number): Promise<Fenced> {
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
    this.#flushingSince = this.#queuedSince;
    this.#queuedSince = undefined;
    if (steps.length === 0) {
      this.#flushingSince = undefined;
      return done?.resolve(NONE_FENCED);
    }
    try {
      const processId = this.#processId();
      const { deleted, fenced } = await this.#database.em.fork().transactional(async (em) => {
        const written = sessionsOf(steps);
        // Locked until the commit: a session can no longer be deleted, nor taken over, under this flush.
        const owners = await statements.lockSessions(em, [...written]);
        const refused = new Map<string, { sessionId: string; epoch: number }>();
        for (const step of steps) await write(em, step, owners, processId, refused);
        return { deleted: [...written].filter((sessionId) => !owners.has(sessionId)), fenced: refused };
      });
      this.#failures = 0;
      this.#flushingSince = undefined;
      // Said once: the dropped writes are gone, and a deleted session gets no new ones.
      if (deleted.length > 0) this.#logger.warn({ sessionIds: deleted }, 'writes for deleted sessions dropped');
      for (const { sessionId, epoch } of fenced.values()) {
        this.#logger.warn({ sessionId, epoch }, 'writes of a room that no longer owns its session refused (fenced)');
        this.#onFenced(sessionId, epoch);
      }
      done?.resolve(fenced.size > 0 ? new Set(fenced.keys()) : NONE_FENCED);
    } catch (error) {
      // Nothing is lost: the writes go back in front of what came since, and are tried again.
      this.#steps = [...steps, ...this.#steps];
      this.#queuedSince = this.#flushingSince;
      this.#flushingSince = undefined;
      this.#next ??= deferred();
      if (done) void this.#next.promise.then(done.resolve);
      this.#failures += 1;
      const retryMs = Math.min(this.#intervalMs * 2 ** this.#failures, MAX_RETRY_MS);
      this.#logger.error({ err: error, pendingSteps: this.#steps.length, retryMs, failures: this.#failures }, 'session writes failed; retrying');
      setTimeout(() => this.#flushSoon(), retryMs).unref();
    }
  }
}

/** Nothing refused: what most flushes settle with. */
const NONE_FENCED: Fenced = new Set();

/**
 * Writes a step's rows for the sessions that still exist and are still owned by the room that
 * recorded them (its epoch, in this process); the others' rooms go into `refused`.
 */
async function write(
  em: EntityManager,
  step: Step,
  owners: ReadonlyMap<string, SessionOwner | null>,
  processId: string,
  refused: Map<string, { sessionId: string; epoch: number }>,
): Promise<void> {
  const kept = (sessionId: string, epoch: number) => {
    if (!owners.has(sessionId)) return false;
    const owner = owners.get(sessionId);
    if (owner?.epoch === epoch && owner.processId === processId) return true;
    refused.set(roomKey(sessionId, epoch), { sessionId, epoch });
    return false;
  };
  if (step.kind === 'statement') return kept(step.sessionId, step.epoch) ? step.run(em) : undefined;
  const keptSessions = new Set([...step.epochs].filter(([sessionId, epoch]) => kept(sessionId, epoch)).map(([sessionId]) => sessionId));
  const ofKept = ({ sessionId }: { sessionId: string }) => keptSessions.has(sessionId);
  await statements.updatePlayers(em, [...step.players.values()].filter(ofKept));
  await statements.revealTiles(em, [...step.cells.values()].filter(ofKept));
  await statements.appendToLog(em, step.log, keptSessions);
}

/** Every session the steps write to. */
function sessionsOf(steps: readonly Step[]): Set<string> {
  const sessionIds = new Set<string>();
  for (const step of steps) {
    if (step.kind === 'statement') sessionIds.add(step.sessionId);
    else for (const sessionId of step.epochs.keys()) sessionIds.add(sessionId);
  }
  return sessionIds;
}

function deferred(): Deferred {
  let resolve!: (fenced: Fenced) => void;
  const promise = new Promise<Fenced>((settle) => (resolve = settle));
  return { promise, resolve };
}
