import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../database/openDatabase.ts';
import { UnavailableError } from '../domainErrors.ts';
import type { Logger } from '../logger.ts';
import type { ServerMetrics } from '../metrics/ServerMetrics.ts';
import * as statements from '../sessions/ownershipStatements.ts';
import type { HeldSessionState } from '../sessions/ownershipStatements.ts';

/** Renewals per lease: a lease survives two renewals in a row that fail or come late. */
const RENEWALS_PER_LEASE = 3;
/** How often a room waiting for a session held elsewhere tries again. */
const CLAIM_RETRY_MS = 150;
/** How long a room waits, beyond one lease, for a session held elsewhere before its join is refused. */
const CLAIM_PATIENCE_MS = 2000;
/** Beyond two flush intervals, how late a write may be before a process cut off from Redis stops taking commands. */
const WRITE_LAG_MARGIN_MS = 100;

/** Why a room stops: another room took its session, its process handed it over, or its lease ran out. */
export type StopReason = 'superseded' | 'handed_over' | 'lapsed';

/** What a room that holds a session is told. */
export type SessionHolder = {
  /** The room must stop at once: write nothing more, close its clients (they join again and find the session's room). */
  stop(reason: Exclude<StopReason, 'handed_over'>): void;
  /** Another process wants the session and this one is cut off from the cluster: write what is pending, release, close. */
  handOver(): void;
};

/** A session this process holds for one of its rooms. */
export type HeldSession = {
  readonly sessionId: string;
  /** The fencing token every write of the room carries. */
  readonly epoch: number;
  /** Gives the session up (the room is disposed, shuts down, or hands it over: `handedOver`): any process may claim it at once. */
  release(options?: { handedOver: boolean }): Promise<void>;
};

export type SessionOwnershipOptions = {
  /** This process's Colyseus processId (known once the matchmaker runs). */
  processId: () => string;
  /** Where this process's rooms are reached (PUBLIC_ADDRESS), for operators reading `server_process`. */
  address: string | undefined;
  /** SESSION_LEASE_MS: how long a process's lease lasts without a renewal. */
  leaseMs: number;
  /**
   * Several processes share the database (REDIS_URL is set): a room whose lease ran out by its own
   * clock stops, as another process may take its session. Alone, a process keeps its rooms playing
   * through a database outage of any length: nobody else can take a session over.
   */
  cluster: boolean;
  /** Whether this process reaches Redis: one that does not is invisible to the matchmaker, and hands wanted sessions over. */
  redisUp: () => boolean;
  /** How long this process's oldest unwritten row has waited (RoundWriter.unwrittenForMs). */
  unwrittenForMs: (now: number) => number;
  /** FLUSH_INTERVAL_MS: how long rows wait for their batch while the database answers. */
  flushIntervalMs: number;
  /** Lists again this process's rooms missing from the matchmaker's listings (those that may be listed). */
  relist: () => Promise<void>;
  metrics: ServerMetrics;
  logger: Logger;
};

/**
 * Who owns a session, decided by the database so that one session is played by one room in the
 * whole cluster, whatever Redis or the network does.
 *
 * - Each process holds a lease in `server_process`, renewed every third of SESSION_LEASE_MS; each
 *   session names its owner process and an epoch, increased by every room that takes it.
 * - A room takes its session when it is created, before it loads it (`claim`): only if nobody
 *   holds it, its owner released it, its owner's lease has run out, or (after a restart of a room)
 *   this process held it. Otherwise it asks for a handover and waits: a paused or dead owner's
 *   lease runs out; an owner cut off from Redis (which Colyseus has already swept from the
 *   listings, so nobody could find its room) hands the session over.
 * - Every write of a room carries its epoch (RoundWriter, SessionService.seatClient) and is refused,
 *   in the same transaction, once the epoch has moved on: a superseded room writes nothing.
 * - Each renewal reads the sessions this process holds: a room whose session was taken is stopped
 *   (its clients closed with 4001, to join again), so a superseded room is never silent.
 * - A room that owns its session stays listed: after each renewal (with Redis) a room missing from the
 *   listings (Redis lost them, or Colyseus swept them while this process stalled) is listed again.
 * - In a cluster, a room stops too once its lease has run out by its own monotonic clock (a pause,
 *   or a database unreachable for longer than the lease), before anyone can take its session.
 * - And while its process cannot reach Redis (so the cluster may already be taking its sessions
 *   over), a room takes commands only as long as its writes land: once a row has waited longer than
 *   two flush intervals (and 100 ms), it refuses them. So a superseded room loses at most what it
 *   accepted in that window; one whose database answers loses nothing (it writes before it hands over).
 */
export class SessionOwnership {
  readonly #database: Database;
  readonly #options: SessionOwnershipOptions;
  readonly #logger: Logger;
  readonly #held = new Map<string, { epoch: number; holder: SessionHolder }>();
  /** The claim under way for each session in this process: a second room of this process waits for it, then finds it listed. */
  readonly #claiming = new Map<string, Promise<unknown>>();
  /** The monotonic time (performance.now()) until which this process's lease is surely valid. */
  #servingUntil = 0;
  #started: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #renewing: Promise<void> | undefined;
  /** Since when renewals fail (logged once). */
  #failingSince: number | undefined;
  #draining = false;

  constructor(database: Database, options: SessionOwnershipOptions) {
    this.#database = database;
    this.#options = options;
    this.#logger = options.logger;
  }

  /** How long a room waits for a session held elsewhere: long enough for its owner's lease to run out. */
  get #claimPatienceMs(): number {
    return this.#options.leaseMs + CLAIM_PATIENCE_MS;
  }

  /** A lease's length less what two clocks may drift apart over it: the room trusts its lease this long after asking. */
  get #trustedMs(): number {
    return this.#options.leaseMs * 0.95;
  }

  /**
   * Whether this process's rooms may act now: always alone; in a cluster, while its lease is valid by
   * its own clock and, when it cannot reach Redis, while its writes land.
   */
  serving(): boolean {
    const { cluster, redisUp, unwrittenForMs, flushIntervalMs } = this.#options;
    if (!cluster) return true;
    const now = performance.now();
    return now < this.#servingUntil && (redisUp() || unwrittenForMs(now) <= 2 * flushIntervalMs + WRITE_LAG_MARGIN_MS);
  }

  /**
   * Takes `sessionId` for a room of this process, waiting (about a lease at most) while another
   * process holds it. Resolves with the held session, or 'listed' when a room of the session got
   * listed meanwhile (the matchmaker then hands that room out instead). Throws a `NotFoundError`
   * for an unknown session, and `session_busy` (503) when its owner neither lets go nor lists it.
   */
  async claim(sessionId: string, holder: SessionHolder, isListed: () => Promise<boolean>): Promise<HeldSession | 'listed'> {
    const before = this.#claiming.get(sessionId);
    const claim = (async () => {
      await before?.catch(() => undefined);
      return this.#claimOrWait(sessionId, holder, isListed);
    })();
    this.#claiming.set(sessionId, claim);
    try {
      return await claim;
    } finally {
      if (this.#claiming.get(sessionId) === claim) this.#claiming.delete(sessionId);
    }
  }

  async #claimOrWait(sessionId: string, holder: SessionHolder, isListed: () => Promise<boolean>): Promise<HeldSession | 'listed'> {
    await this.#start();
    const processId = this.#options.processId();
    const deadline = performance.now() + this.#claimPatienceMs;
    for (let attempt = 0; ; attempt++) {
      const result = await this.#claimOnce(sessionId, processId, attempt === 0).catch((error: unknown) => {
        if (isLockTimeout(error)) return undefined;
        throw error;
      });
      if (result?.claimed) {
        this.#held.set(sessionId, { epoch: result.epoch, holder });
        if (result.from === 'expired' || result.from === 'handed_over') {
          this.#options.metrics.sessionTakenOver(result.from);
          this.#logger.warn(
            { sessionId, epoch: result.epoch, from: result.previousOwner, how: result.from },
            `took session ${sessionId} over (${result.from})`,
          );
        }
        return this.#heldSession(sessionId, result.epoch);
      }
      if (await isListed()) return 'listed';
      if (performance.now() > deadline) {
        throw new UnavailableError('session_busy', `Session ${sessionId} is held by a server process that does not answer: try again in a few seconds`);
      }
      await sleep(CLAIM_RETRY_MS);
    }
  }

  /** Whether a room of this process may (re-)list the session's room: only while it holds the session and its lease. */
  mayList(sessionId: string): boolean {
    return this.#held.has(sessionId) && this.serving();
  }

  /** The writer refused a room's rows: its session is another room's now. */
  fenced(sessionId: string, epoch: number): void {
    const held = this.#held.get(sessionId);
    if (held?.epoch === epoch) this.#stop(sessionId, 'superseded');
  }

  /** The server is shutting down: once the last room has released its session, the lease ends (its row deleted). */
  async drain(): Promise<void> {
    this.#draining = true;
    await this.#endWhenDrained();
  }

  #claimOnce(sessionId: string, processId: string, first: boolean) {
    return statements.claimSession(this.#database.em.fork(), sessionId, processId, {
      // A room of this process that holds it is the room to join: another would be a duplicate.
      retakeOwn: !this.#held.has(sessionId),
      requestHandover: first,
    });
  }

  #heldSession(sessionId: string, epoch: number): HeldSession {
    return {
      sessionId,
      epoch,
      release: async ({ handedOver } = { handedOver: false }) => {
        if (this.#held.get(sessionId)?.epoch !== epoch) return;
        this.#held.delete(sessionId);
        try {
          await statements.releaseSession(this.#database.em.fork(), sessionId, { epoch, processId: this.#options.processId() }, handedOver);
        } catch (error) {
          // Not released: the session is claimable once this process's lease runs out.
          this.#logger.warn({ err: error, sessionId }, 'session not released; it is free once this process lease runs out');
        }
        await this.#endWhenDrained();
      },
    };
  }

  /** Registers this process (its first renewal), then renews on a timer; once, on the first claim. */
  #start(): Promise<void> {
    this.#started ??= (async () => {
      await statements.forgetEndedLeases(this.#database.em.fork()).catch(() => undefined);
      await this.#renew();
      const every = this.#options.leaseMs / RENEWALS_PER_LEASE;
      this.#timer = setInterval(() => void this.#renew(), every).unref();
    })();
    return this.#started;
  }

  /** One renewal at a time; a renewal that hangs counts as failed after a renewal period. */
  #renew(): Promise<void> {
    this.#renewing ??= this.#renewOnce().finally(() => {
      this.#renewing = undefined;
    });
    return this.#renewing;
  }

  async #renewOnce(): Promise<void> {
    const askedAt = performance.now();
    const process = { id: this.#options.processId(), address: this.#options.address ?? hostname(), leaseMs: this.#options.leaseMs };
    try {
      const states = await withTimeout(
        statements.renewLease(this.#database.em.fork(), process, [...this.#held.keys()], this.#claimPatienceMs),
        this.#options.leaseMs / RENEWALS_PER_LEASE,
      );
      this.#servingUntil = Math.max(this.#servingUntil, askedAt + this.#trustedMs);
      if (this.#failingSince !== undefined) {
        this.#logger.info({ failedForMs: Math.round(askedAt - this.#failingSince) }, 'session leases renewed again');
        this.#failingSince = undefined;
      }
      this.#review(states);
    } catch (error) {
      if (this.#failingSince === undefined) {
        this.#failingSince = askedAt;
        this.#logger.warn({ err: error }, 'could not renew this process lease on its sessions');
      }
    }
    if (this.#options.cluster && this.#options.redisUp() && this.serving()) {
      await this.#options.relist().catch((error: unknown) => this.#logger.debug({ err: error }, 'could not list missing rooms again'));
    }
    // In a cluster, a lease run out by this process's clock may be another process's to take now.
    if (this.#options.cluster && performance.now() >= this.#servingUntil) for (const sessionId of [...this.#held.keys()]) this.#stop(sessionId, 'lapsed');
  }

  /** Stops the rooms whose session was taken; hands over the wanted ones while this process is cut off from Redis. */
  #review(states: HeldSessionState[]): void {
    const processId = this.#options.processId();
    for (const state of states) {
      const held = this.#held.get(state.sessionId);
      if (!held) continue;
      if (state.epoch !== held.epoch || state.owner !== processId) this.#stop(state.sessionId, 'superseded');
      else if (state.handoverRequested && this.#options.cluster && !this.#options.redisUp()) {
        this.#logger.warn({ sessionId: state.sessionId }, `handing session ${state.sessionId} over: another process wants it and this one cannot reach Redis`);
        held.holder.handOver();
      }
    }
  }

  #stop(sessionId: string, reason: Exclude<StopReason, 'handed_over'>): void {
    const held = this.#held.get(sessionId);
    if (!held) return;
    this.#held.delete(sessionId);
    held.holder.stop(reason);
    void this.#endWhenDrained();
  }

  async #endWhenDrained(): Promise<void> {
    if (this.#draining && this.#held.size === 0) await this.#end();
  }

  async #end(): Promise<void> {
    clearInterval(this.#timer);
    if (!this.#started) return;
    await this.#renewing;
    await statements.endLease(this.#database.em.fork(), this.#options.processId()).catch((error: unknown) => {
      this.#logger.warn({ err: error }, 'could not end this process lease; its sessions are free once it runs out');
    });
  }
}

/** PostgreSQL's lock_timeout (55P03): the session row is held by a transaction that does not finish (a paused process). */
function isLockTimeout(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '55P03';
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
