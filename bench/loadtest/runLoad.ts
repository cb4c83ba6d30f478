import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { FleetPlan, Workload } from './BotFleet.ts';
import type { TransportName } from './GameTransport.ts';
import { LoadCounters, type CountersSummary } from './LoadCounters.ts';
import type { FromWorker, LoopDelay, ToWorker } from './workerMessages.ts';

export type LoadOptions = {
  /** The server, `http://host:port`. */
  url: string;
  transport: TransportName;
  workload: Workload;
  rooms: number;
  /** Bots per room. */
  players: number;
  /** How long the bots act after joining. */
  durationSeconds: number;
  /** Milliseconds between a bot's actions: readiness toggles (lobby) or moves (play). */
  intervalMs: number;
  /** Side of the sessions' mazes. */
  mazeSize: number;
  /** How the sessions' players share what they see (docs/protocol.md: fog of war); the server's default when unset. */
  fog?: 'team' | 'player';
  /** Worker processes; each gets whole rooms. */
  workers: number;
  /** Pin the workers to this CPU core (`taskset`), e.g. with the server pinned to another. */
  cpuCore?: number;
  /** Called every second while bots act or join. */
  onProgress?: (progress: LoadProgress) => void;
  /** Runs once every bot has joined, before they act (the benchmark samples idle memory here). */
  afterJoin?: () => Promise<void>;
  /** Called (and awaited) as the bots start acting and just before they leave (the benchmark times the server's CPU and loop). */
  onActing?: (event: 'start' | 'end') => void | Promise<void>;
  /** Ends the run early, e.g. once the rooms have finished rounds (the tests). */
  until?: (totals: LoadCounters) => boolean;
};

export type LoadProgress = {
  seconds: number;
  phase: 'joining' | 'acting';
  connected: number;
  /** Of the last second. */
  sentPerSecond: number;
  receivedPerSecond: number;
  changeP50: number;
  changeP99: number;
  errors: { joinFailures: number; refusals: number; closes: number; drops: number; undelivered: number };
  generatorCorePercent: number;
};

export type LoadResult = {
  options: Omit<LoadOptions, 'onProgress' | 'afterJoin' | 'onActing' | 'until'>;
  /** The sessions the run created, one per room. */
  sessionIds: string[];
  /** Seconds the bots acted (from the first `act` to the `leave`). */
  actingSeconds: number;
  totals: CountersSummary;
  /** Connected at the end: joined and not closed by the server. */
  connected: number;
  rates: {
    changesPerSecond: number;
    deliveriesPerSecond: number;
    messagesSentPerSecond: number;
    messagesReceivedPerSecond: number;
    /** Bytes each client received per second, on average (0 on the baselines, which do not count them). */
    bytesPerClientPerSecond: number;
  };
  /**
   * The load generator's own CPU while the bots acted: its workers (and this process), in % of one
   * core; and its busiest worker's event-loop delay then, in ms (what the tool itself adds to latency).
   */
  generator: { cpuSeconds: number; corePercent: number; busiestWorkerCorePercent: number; loopDelay: LoopDelay };
};

const WORKER_SCRIPT = new URL('./loadWorker.ts', import.meta.url);
const SESSION_CREATORS = 4;
/** Joins a worker has in flight at once: a crowd arriving, not a queue of one. */
const JOINS_IN_FLIGHT_PER_WORKER = 10;
/** How long a worker that has left may take to exit (writing a `--cpu-prof` profile takes a moment). */
const WORKER_EXIT_MS = 10_000;

/**
 * Runs the load tool: creates `rooms` sessions through `POST /api/sessions`, forks the workers, has
 * them join `players` bots per room, lets the bots act for the duration, makes them leave, and sums
 * up what the workers counted.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const sessions = await createSessions(options.url, options.rooms, { size: options.mazeSize, fog: options.fog });
  const playable = options.workload === 'play' ? await playableCharacters(options.url) : [];
  const runId = randomUUID().slice(0, 8);
  const workers = Array.from({ length: Math.max(1, Math.min(options.workers, options.rooms)) }, () => startWorker(options.cpuCore));
  const totals = new LoadCounters();
  const lastSecond = new LoadCounters();
  const cpu = { actingMicros: 0, byWorker: workers.map(() => 0), lastSecondMicros: 0 };
  const loopDelay: LoopDelay = { p50: 0, p99: 0, max: 0 };
  workers.forEach((worker, index) =>
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'loopDelay') {
        loopDelay.p50 = Math.max(loopDelay.p50, message.p50);
        loopDelay.p99 = Math.max(loopDelay.p99, message.p99);
        loopDelay.max = Math.max(loopDelay.max, message.max);
      }
      if (message.type !== 'tick') return;
      totals.absorb(message.counters);
      lastSecond.absorb(message.counters);
      cpu.lastSecondMicros += message.cpuMicros;
      if (message.acting) {
        cpu.actingMicros += message.cpuMicros;
        cpu.byWorker[index]! += message.cpuMicros;
      }
    }),
  );

  const started = performance.now();
  let phase: LoadProgress['phase'] = 'joining';
  const progress = setInterval(() => {
    const second = lastSecond.summary();
    options.onProgress?.({
      seconds: Math.round((performance.now() - started) / 1000),
      phase,
      connected: connectedOf(totals),
      sentPerSecond: second.messagesSent,
      receivedPerSecond: second.messagesReceived,
      changeP50: second.changeLatency.p50,
      changeP99: second.changeLatency.p99,
      errors: errorsOf(totals),
      generatorCorePercent: cpu.lastSecondMicros / 1e4,
    });
    Object.assign(lastSecond, new LoadCounters());
    cpu.lastSecondMicros = 0;
  }, 1000);

  try {
    const plans = workers.map((): FleetPlan => ({
      url: options.url,
      transport: options.transport,
      workload: options.workload,
      rooms: [],
      intervalMs: options.intervalMs,
      playable,
      joinConcurrency: JOINS_IN_FLIGHT_PER_WORKER,
    }));
    sessions.forEach((sessionId, room) =>
      plans[room % plans.length]!.rooms.push({
        sessionId,
        clientIds: Array.from({ length: options.players }, (_, seat) => `lt-${runId}-r${room}-p${seat}`),
      }),
    );
    await Promise.all(workers.map((worker, index) => ask(worker, { type: 'plan', plan: plans[index]! }, 'joined')));
    await options.afterJoin?.();

    phase = 'acting';
    workers.forEach((worker) => tell(worker, { type: 'act' }));
    await options.onActing?.('start');
    const actingStarted = performance.now();
    const deadline = actingStarted + options.durationSeconds * 1000;
    while (performance.now() < deadline && !options.until?.(totals)) await new Promise((resolve) => setTimeout(resolve, 200));
    await options.onActing?.('end');
    const actingSeconds = (performance.now() - actingStarted) / 1000;
    await Promise.all(workers.map((worker) => ask(worker, { type: 'leave' }, 'left')));
    // Each worker exits on its own once it has said goodbye (so `--cpu-prof` writes its profile).
    await Promise.all(workers.map(exited));

    const summary = totals.summary();
    const perSecond = (count: number) => count / actingSeconds;
    const { onProgress, afterJoin, onActing, until, ...plainOptions } = options;
    return {
      options: plainOptions,
      sessionIds: sessions,
      actingSeconds,
      totals: summary,
      connected: connectedOf(totals),
      rates: {
        changesPerSecond: perSecond(summary.changesSent),
        deliveriesPerSecond: perSecond(summary.deliveries),
        messagesSentPerSecond: perSecond(summary.messagesSent),
        messagesReceivedPerSecond: perSecond(summary.messagesReceived),
        bytesPerClientPerSecond: perSecond(summary.bytesReceived) / Math.max(1, summary.joinsOk),
      },
      generator: {
        cpuSeconds: cpu.actingMicros / 1e6,
        corePercent: cpu.actingMicros / 1e4 / actingSeconds,
        busiestWorkerCorePercent: Math.max(...cpu.byWorker) / 1e4 / actingSeconds,
        loopDelay,
      },
    };
  } finally {
    clearInterval(progress);
    for (const worker of workers) if (worker.exitCode === null) worker.kill();
  }
}

const connectedOf = (totals: LoadCounters) => totals.joinsOk - Object.values(totals.closes).reduce((sum, count) => sum + count, 0);
const errorsOf = (totals: LoadCounters) => ({
  joinFailures: totals.joinsFailed,
  refusals: Object.values(totals.refusals).reduce((sum, count) => sum + count, 0),
  closes: Object.values(totals.closes).reduce((sum, count) => sum + count, 0),
  drops: totals.drops,
  undelivered: totals.undelivered,
});

/** Resolves when the worker has exited, or after WORKER_EXIT_MS (the `finally` of runLoad then kills it). */
function exited(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null || worker.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, WORKER_EXIT_MS);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function startWorker(cpuCore: number | undefined): ChildProcess {
  // Pinned, a worker shares its core with the others: V8's background GC threads would take turns
  // with the workers' main threads there (14% of the load core's time in a worker's stalls of 20 ms
  // or more, at 500 playing clients), and their stalls are part of every change's measured latency.
  const execArgv = cpuCore === undefined ? process.execArgv : [...process.execArgv, '--single-threaded-gc'];
  const worker = fork(WORKER_SCRIPT, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  if (cpuCore !== undefined) pinToCore(worker.pid!, cpuCore);
  return worker;
}

/** Pins a process (all its threads) to one CPU core. */
export function pinToCore(pid: number, core: number): void {
  const result = spawnSync('taskset', ['-a', '-c', '-p', String(core), String(pid)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`taskset could not pin process ${pid} to core ${core}: ${result.stderr || result.error}`);
}

function tell(worker: ChildProcess, message: ToWorker): void {
  worker.send(message);
}

/** Sends a message and waits for the worker's answer of type `answer`; fails if the worker dies first. */
function ask(worker: ChildProcess, message: ToWorker, answer: FromWorker['type']): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onMessage = (reply: FromWorker) => {
      if (reply.type !== answer) return;
      stopListening();
      resolve();
    };
    const onExit = (code: number | null) => {
      stopListening();
      reject(new Error(`a load worker exited (${code}) before answering ${message.type}`));
    };
    const stopListening = () => {
      worker.off('message', onMessage);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('exit', onExit);
    tell(worker, message);
  });
}

async function createSessions(url: string, count: number, session: { size: number; fog: 'team' | 'player' | undefined }): Promise<string[]> {
  const ids: string[] = [];
  let requested = 0;
  const createNext = async () => {
    while (requested < count) {
      requested += 1;
      const response = await fetch(`${url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(session) });
      if (response.status !== 201) throw new Error(`POST /api/sessions answered ${response.status}: ${await response.text()}`);
      ids.push(((await response.json()) as { id: string }).id);
    }
  };
  await Promise.all(Array.from({ length: SESSION_CREATORS }, createNext));
  return ids;
}
async function playableCharacters(url: string): Promise<string[]> {
  const response = await fetch(`${url}/api/entities?type=player`);
  if (!response.ok) throw new Error(`GET /api/entities?type=player answered ${response.status}`);
  return ((await response.json()) as { entities: { id: string }[] }).entities.map((entity) => entity.id);
}
