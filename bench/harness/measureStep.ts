import { writeFileSync } from 'node:fs';
import type { LatencySummary } from '../loadtest/LatencyHistogram.ts';
import type { CountsByCode } from '../loadtest/LoadCounters.ts';
import { runLoad } from '../loadtest/runLoad.ts';
import { commandCpuSeconds, coreBusySeconds } from './procCpu.ts';
import type { BenchTarget } from './benchTargets.ts';
import type { LoopDelay } from '../loadtest/workerMessages.ts';

export type StepSettings = {
  clients: number;
  playersPerRoom: number;
  actingSeconds: number;
  /** Idle time after the joins before memory is read. */
  settleSeconds: number;
  serverPort: number;
  serverCore: number;
  loadCore: number;
  loadWorkers: number;
  nodeFlags: string[];
  /**
   * Where to write a sampling heap profile of the activity (see PinnedServer.sampleHeap); the
   * server's output (with `--trace-gc` among `nodeFlags`, its collections) goes beside it, `.log`.
   */
  heapProfileFile?: string;
  /** The heap profile keeps only what is still alive at the end of the activity. */
  heapProfileLiveOnly?: boolean;
  onProgress?: (line: string) => void;
};

export type StepResult = {
  clients: number;
  rooms: number;
  join: LatencySummary;
  joinsFailed: number;
  joinFailures: CountsByCode;
  /** Drops the SDK saw, and connections the server closed. */
  drops: number;
  closes: CountsByCode;
  change: LatencySummary;
  undelivered: number;
  refusals: CountsByCode;
  changesPerSecond: number;
  deliveriesPerSecond: number;
  /** Bytes each client received per second (ours only: the baselines do not count them). */
  bytesPerClientPerSecond?: number;
  server: {
    /** % of its one core while the bots acted. */
    corePercent: number;
    /** How busy the server's core was, whoever ran there (the server, PostgreSQL, other programs). */
    coreBusyPercent: number;
    /** Server CPU microseconds per (change, observer) delivery. */
    cpuMicrosPerDelivery: number;
    idleRssBytes: number;
    idleHeapBytes: number;
    /** RSS and heap growth from the empty server to all clients joined and idle, per client and per room. */
    rssPerClientBytes: number;
    rssPerRoomBytes: number;
    heapPerClientBytes: number;
    heapPerRoomBytes: number;
    /** The server's event-loop delay while the bots acted (ms; older results lack it). */
    loopDelay?: LoopDelay;
  };
  /** PostgreSQL's own processes (all of them, unpinned), in % of one core; undefined on PGlite and the baselines. */
  databaseCorePercent?: number;
  /** `coreBusyPercent`: the load core as a whole (workers, this process, anything else there). */
  generator: { corePercent: number; busiestWorkerCorePercent: number; coreBusyPercent: number; loopDelay?: LoopDelay };
  actingSeconds: number;
};

const ROOM_MAZE_SIZE = { lobby: 8, play: 16 } as const;
/** The warm-up before the idle reading: this many rooms join, act and leave. */
const WARM_UP = { rooms: 2, seconds: 2 } as const;
const INTERVAL_MS = { lobby: 1000, play: 200 } as const;
/** Where the activity starts and ends in a heap-profiled server's output (bench/heapProfileSummary.ts reads the collections between them). */
export const ACTING_STARTS = '--- bench: acting starts';
export const ACTING_ENDS = '--- bench: acting ends';

/** One step: a fresh server, its idle memory, every client joined, then the workload for a while. */
export async function measureStep(target: BenchTarget, settings: StepSettings): Promise<StepResult> {
  const rooms = Math.ceil(settings.clients / settings.playersPerRoom);
  const { heapProfileFile } = settings;
  const { server, stop } = await target.start(settings.serverPort, settings.serverCore, settings.nodeFlags, heapProfileFile && `${heapProfileFile}.log`);
  let stopHeapSampling: (() => Promise<object>) | undefined;
  try {
    const load = {
      url: server.url,
      transport: target.transport,
      workload: target.workload,
      players: settings.playersPerRoom,
      intervalMs: INTERVAL_MS[target.workload],
      mazeSize: ROOM_MAZE_SIZE[target.workload],
      ...(target.fog ? { fog: target.fog } : {}),
      cpuCore: settings.loadCore,
    };
    // Code compiled on the first joins, and buffers and pools grown once, are the server's, not
    // the clients': they are in the idle reading. Both readings are taken after a full collection.
    await runLoad({ ...load, rooms: WARM_UP.rooms, durationSeconds: WARM_UP.seconds, workers: 1 });
    await new Promise((resolve) => setTimeout(resolve, settings.settleSeconds * 1000));
    const idle = { rss: server.rssBytes(), heap: await server.liveHeapBytes() };
    const joined = { rss: 0, heap: 0 };
    let loopDelay: LoopDelay = { p50: 0, p99: 0, max: 0 };
    type CpuReading = { server: number; serverCore: number; loadCore: number; database: number };
    const cpu: Record<'start' | 'end', CpuReading> = {
      start: { server: 0, serverCore: 0, loadCore: 0, database: 0 },
      end: { server: 0, serverCore: 0, loadCore: 0, database: 0 },
    };
    const readCpu = (): CpuReading => ({
      server: server.cpuSeconds(),
      serverCore: coreBusySeconds(settings.serverCore),
      loadCore: coreBusySeconds(settings.loadCore),
      database: target.database === 'postgresql' ? commandCpuSeconds('postgres') : 0,
    });
    const result = await runLoad({
      ...load,
      rooms,
      durationSeconds: settings.actingSeconds,
      workers: settings.loadWorkers,
      async afterJoin() {
        await new Promise((resolve) => setTimeout(resolve, settings.settleSeconds * 1000));
        joined.rss = server.rssBytes();
        joined.heap = await server.liveHeapBytes();
      },
      async onActing(event) {
        cpu[event] = readCpu();
        if (event === 'start') {
          await server.startLoopDelay();
          if (heapProfileFile) {
            await server.mark(ACTING_STARTS);
            stopHeapSampling = await server.sampleHeap(settings.heapProfileLiveOnly);
          }
        } else {
          loopDelay = await server.loopDelay();
          if (stopHeapSampling) {
            writeFileSync(heapProfileFile!, JSON.stringify(await stopHeapSampling()));
            await server.mark(ACTING_ENDS);
          }
        }
      },
      onProgress: (progress) =>
        settings.onProgress?.(
          `${progress.phase} ${progress.connected} clients, change p99 ${progress.changeP99.toFixed(0)} ms, generator ${progress.generatorCorePercent.toFixed(0)}%`,
        ),
    });
    const { totals } = result;
    const cpuSeconds = cpu.end.server - cpu.start.server;
    const percentOfActing = (key: keyof CpuReading) => ((cpu.end[key] - cpu.start[key]) / result.actingSeconds) * 100;
    const clients = totals.joinsOk || 1;
    return {
      clients: settings.clients,
      rooms,
      join: totals.joinLatency,
      joinsFailed: totals.joinsFailed,
      joinFailures: totals.joinFailures,
      drops: totals.drops,
      closes: totals.closes,
      change: totals.changeLatency,
      undelivered: totals.undelivered,
      refusals: totals.refusals,
      changesPerSecond: result.rates.changesPerSecond,
      deliveriesPerSecond: result.rates.deliveriesPerSecond,
      bytesPerClientPerSecond: result.rates.bytesPerClientPerSecond || undefined,
      server: {
        corePercent: percentOfActing('server'),
        coreBusyPercent: percentOfActing('serverCore'),
        cpuMicrosPerDelivery: totals.deliveries > 0 ? (cpuSeconds * 1e6) / totals.deliveries : 0,
        idleRssBytes: idle.rss,
        idleHeapBytes: idle.heap,
        rssPerClientBytes: (joined.rss - idle.rss) / clients,
        rssPerRoomBytes: (joined.rss - idle.rss) / rooms,
        heapPerClientBytes: (joined.heap - idle.heap) / clients,
        heapPerRoomBytes: (joined.heap - idle.heap) / rooms,
        loopDelay,
      },
      databaseCorePercent: target.database === 'postgresql' ? percentOfActing('database') : undefined,
      generator: {
        corePercent: result.generator.corePercent,
        busiestWorkerCorePercent: result.generator.busiestWorkerCorePercent,
        coreBusyPercent: percentOfActing('loadCore'),
        loopDelay: result.generator.loopDelay,
      },
      actingSeconds: result.actingSeconds,
    };
  } finally {
    await stop();
  }
}

/** Lost clients of a step: failed joins, drops and server-initiated closes. */
export function lostClients(step: StepResult): number {
  return step.joinsFailed + step.drops + Object.values(step.closes).reduce((sum, count) => sum + count, 0);
}

/** Held: p99 under 100 ms and nobody lost. */
export function held(step: StepResult): boolean {
  return step.change.count > 0 && step.change.p99 < 100 && lostClients(step) === 0;
}

/** So far behind that larger steps would only take long to say the same (p99 over 2 s, or 5% lost). */
export function saturated(step: StepResult): boolean {
  return step.change.count === 0 || step.change.p99 > 2000 || lostClients(step) > step.clients * 0.05;
}
