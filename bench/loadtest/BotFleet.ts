import { performance } from 'node:perf_hooks';
import { colyseusTransport } from './colyseusTransport.ts';
import type { Bot } from './Bot.ts';
import { ChangeLedger } from './ChangeLedger.ts';
import { JoinError, type GameTransport, type TransportName } from './GameTransport.ts';
import { LoadCounters } from './LoadCounters.ts';
import { LobbyBot } from './LobbyBot.ts';
import { PlayBot } from './PlayBot.ts';
import { socketIoTransport } from './socketIoTransport.ts';
import { wsTransport } from './wsTransport.ts';

export const WORKLOADS = ['lobby', 'play'] as const;
export type Workload = (typeof WORKLOADS)[number];

/** The bots of some rooms, all in one process (a room's bots are never split). */
export type FleetPlan = {
  url: string;
  transport: TransportName;
  workload: Workload;
  rooms: { sessionId: string; clientIds: string[] }[];
  /** Milliseconds between a bot's actions: readiness toggles (lobby) or moves (play). */
  intervalMs: number;
  /** Playable character ids, handed out by seat (not every seat gets one). */
  playable: string[];
  /** Joins in flight at once. */
  joinConcurrency: number;
};

const TRANSPORTS: Record<TransportName, GameTransport> = { colyseus: colyseusTransport, ws: wsTransport, socketio: socketIoTransport };
const JOIN_TIMEOUT_MS = 20_000;
/** How often changes nobody saw are written off (ChangeLedger's expiry). */
const EXPIRE_EVERY_MS = 1000;

/**
 * Joins a plan's bots, lets them act, and makes them leave. What they see is counted in `counters`.
 * The load tool runs one fleet per worker process; tests can run one in their own process.
 */
export class BotFleet {
  readonly counters = new LoadCounters();
  readonly #plan: FleetPlan;
  readonly #transport: GameTransport;
  readonly #ledgers: ChangeLedger[] = [];
  readonly #joined: Bot[] = [];
  #expiry: NodeJS.Timeout | undefined;

  constructor(plan: FleetPlan) {
    this.#plan = plan;
    this.#transport = TRANSPORTS[plan.transport];
  }

  /** Joins every bot, room after room, `joinConcurrency` at a time; resolves when all are in or failed. */
  async join(): Promise<void> {
    const pending = this.#plan.rooms.flatMap((room) => {
      const ledger = new ChangeLedger(this.counters);
      this.#ledgers.push(ledger);
      return room.clientIds.map((clientId, seat) => ({ sessionId: room.sessionId, bot: this.#makeBot(clientId, seat, ledger) }));
    });
    this.#expiry = setInterval(() => this.#ledgers.forEach((ledger) => ledger.expire()), EXPIRE_EVERY_MS);
    const joinNext = async (): Promise<void> => {
      for (let next = pending.shift(); next; next = pending.shift()) await this.#joinOne(next.sessionId, next.bot);
    };
    await Promise.all(Array.from({ length: this.#plan.joinConcurrency }, joinNext));
  }

  /** Every joined bot starts acting. */
  act(): void {
    for (const bot of this.#joined) bot.act();
  }

  async leave(): Promise<void> {
    clearInterval(this.#expiry);
    await Promise.all(this.#joined.map((bot) => bot.leave()));
  }

  #makeBot(clientId: string, seat: number, ledger: ChangeLedger): Bot {
    const settings = { clientId, seat, intervalMs: this.#plan.intervalMs, counters: this.counters, ledger };
    return this.#plan.workload === 'lobby' ? new LobbyBot(settings) : new PlayBot({ ...settings, characterId: this.#plan.playable[seat] });
  }

  async #joinOne(sessionId: string, bot: Bot): Promise<void> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new JoinError('timeout', `no join within ${JOIN_TIMEOUT_MS} ms`)), JOIN_TIMEOUT_MS);
    });
    try {
      const request = { url: this.#plan.url, sessionId, clientId: bot.clientId, name: bot.clientId.slice(-32) };
      const connection = await Promise.race([this.#transport.join(request, bot.events), timeout]);
      this.counters.joinsOk += 1;
      this.counters.joinLatency.record(performance.now() - started);
      bot.attach(connection);
      this.#joined.push(bot);
    } catch (error) {
      this.counters.joinsFailed += 1;
      LoadCounters.count(this.counters.joinFailures, error instanceof JoinError ? error.code : 'error');
    } finally {
      clearTimeout(timer);
    }
  }
}
