import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { projectRoot } from '../../src/projectRoot.ts';
import type { LoopDelay } from '../loadtest/workerMessages.ts';
import { processCpuSeconds } from './procCpu.ts';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;
const OUTPUT_LIMIT = 20_000;

export type PinnedServerOptions = {
  /** Script and arguments for `node`, relative to the project root. */
  script: string;
  port: number;
  /** The CPU core the server runs on (`taskset -c`). */
  core: number;
  env: Record<string, string>;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
  /** Answers 200 once the server takes clients. */
  readyPath: string;
  /** Where to write everything the server prints (e.g. its `--trace-gc` lines), besides keeping the end of it. */
  outputFile?: string;
};

const LOOP_DELAY_RESOLUTION_MS = 1;
/**
 * Every server under test runs as a process with a core of its own runs in production (PM2's process
 * per core, ecosystem.config.js): with the garbage collector on its main thread. V8's
 * background GC threads would otherwise share the pinned core with the main thread and take turns
 * with it (the scheduler gives them half the core while they run): a major collection's concurrent
 * marking held ours for 60-110 ms of the core at a time, the server's longest stalls.
 */
const ONE_CORE_FLAGS = ['--single-threaded-gc'];
/** One sample per this many bytes allocated, on average (V8's default is 32 KB: too few for a 15 s step). */
const HEAP_SAMPLING_INTERVAL_BYTES = 8 * 1024;

/** What node prints on stderr when its inspector listens (`--inspect`). */
const INSPECTOR_LISTENING = /Debugger listening on (ws:\/\/\S+)/;

/**
 * A server under test in its own process, pinned to one core, with what the benchmark reads of it:
 * CPU time from /proc/<pid>/stat, RSS from /proc/<pid>/status, and the V8 heap through its inspector
 * (every server, ours and the baselines, runs with `--inspect` on a local port; nothing is attached
 * but while the heap is read).
 */
export class PinnedServer {
  readonly url: string;
  readonly #child: ChildProcess;
  #output = '';
  /** Kept when it is printed: the server's later output may push it out of `#output`. */
  #inspectorAddress: string | undefined;

  private constructor(child: ChildProcess, port: number) {
    this.#child = child;
    this.url = `http://127.0.0.1:${port}`;
    const keep = (chunk: Buffer) => {
      this.#output = (this.#output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
      this.#inspectorAddress ??= INSPECTOR_LISTENING.exec(this.#output)?.[1];
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
  }

  static async start(options: PinnedServerOptions): Promise<PinnedServer> {
    const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, PORT: String(options.port) };
    delete env.NODE_APP_INSTANCE;
    // taskset execs node in place, so the child's pid is the server's.
    const child = spawn(
      'taskset',
      ['-c', String(options.core), process.execPath, '--inspect=127.0.0.1:0', ...ONE_CORE_FLAGS, ...(options.nodeFlags ?? []), options.script],
      {
        cwd: projectRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const server = new PinnedServer(child, options.port);
    if (options.outputFile) {
      const file = createWriteStream(options.outputFile);
      child.stdout.pipe(file);
      child.stderr.pipe(file);
    }
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline && child.exitCode === null) {
      const ok = await fetch(`${server.url}${options.readyPath}`, { signal: AbortSignal.timeout(2000) }).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return server;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    child.kill('SIGKILL');
    throw new Error(`${options.script} on port ${options.port} did not start:\n${server.output()}`);
  }

  get pid(): number {
    return this.#child.pid!;
  }

  output(): string {
    return this.#output;
  }

  /** User + system CPU seconds the server has used so far. */
  cpuSeconds(): number {
    return processCpuSeconds(this.pid);
  }

  rssBytes(): number {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    return Number(match?.[1] ?? 0) * 1024;
  }

  /**
   * The V8 heap in use after a full collection: what is still reachable, without the garbage
   * that happened to be waiting for the collector when the reading was taken.
   */
  async liveHeapBytes(): Promise<number> {
    const [, usage] = await this.#inspect([{ method: 'HeapProfiler.collectGarbage' }, { method: 'Runtime.getHeapUsage' }]);
    return (usage as { usedSize: number }).usedSize;
  }

  /**
   * Starts recording the server's event-loop delay (`perf_hooks.monitorEventLoopDelay`, 1 ms
   * resolution) inside the server, through its inspector: the same instrument for ours and the
   * baselines, with no code of theirs involved. `loopDelay()` reads what it recorded since.
   */
  async startLoopDelay(): Promise<void> {
    await this.#evaluate(`(() => {
      globalThis.__benchLoopDelay?.disable();
      globalThis.__benchLoopDelay = process.getBuiltinModule('node:perf_hooks').monitorEventLoopDelay({ resolution: ${LOOP_DELAY_RESOLUTION_MS} });
      globalThis.__benchLoopDelay.enable();
      return '{}';
    })()`);
  }

  /** The event-loop delay since `startLoopDelay`, in ms (the resolution subtracted, as the histogram includes it). */
  async loopDelay(): Promise<LoopDelay> {
    const reading = JSON.parse(
      await this.#evaluate(`(() => {
        const h = globalThis.__benchLoopDelay;
        h.disable();
        return JSON.stringify({ p50: h.percentile(50), p99: h.percentile(99), max: h.max });
      })()`),
    ) as LoopDelay;
    const ms = (nanoseconds: number) => Math.max(0, nanoseconds / 1e6 - LOOP_DELAY_RESOLUTION_MS);
    return { p50: ms(reading.p50), p99: ms(reading.p99), max: ms(reading.max) };
  }

  /**
   * Starts a sampling heap profile that keeps the objects later freed by a major collection
   * (`includeObjectsCollectedByMajorGC`): what lived long enough to be promoted, garbage or not, by
   * the code that allocated it, and the young garbage a major collection frees with it. `liveOnly`:
   * only what is still alive when it stops (what the activity keeps). Resolves to the function that
   * stops it and returns the profile.
   */
  async sampleHeap(liveOnly = false): Promise<() => Promise<object>> {
    const inspector = await this.#connect();
    await inspector.call('HeapProfiler.enable');
    await inspector.call('HeapProfiler.startSampling', { samplingInterval: HEAP_SAMPLING_INTERVAL_BYTES, includeObjectsCollectedByMajorGC: !liveOnly });
    return async () => {
      try {
        return ((await inspector.call('HeapProfiler.stopSampling')) as { profile: object }).profile;
      } finally {
        inspector.close();
      }
    };
  }

  /** Writes a line into the server's output (into `outputFile`, between its `--trace-gc` lines). */
  async mark(line: string): Promise<void> {
    await this.#evaluate(`(process.stdout.write(${JSON.stringify(`${line}\n`)}), '')`);
  }

  async #evaluate(expression: string): Promise<string> {
    const [answer] = await this.#inspect([{ method: 'Runtime.evaluate', params: { expression, returnByValue: true } }]);
    const { result, exceptionDetails } = answer as { result: { value: string }; exceptionDetails?: { text: string } };
    if (exceptionDetails) throw new Error(`evaluating in the server failed: ${exceptionDetails.text}`);
    return result.value;
  }

  /** Calls inspector methods in order on one short-lived connection; their results, in order. */
  async #inspect(calls: { method: string; params?: object }[]): Promise<unknown[]> {
    const inspector = await this.#connect();
    try {
      const results: unknown[] = [];
      for (const { method, params } of calls) results.push(await inspector.call(method, params));
      return results;
    } finally {
      inspector.close();
    }
  }

  /** A connection to the server's inspector: calls answered in turn. */
  async #connect(): Promise<{ call: (method: string, params?: object) => Promise<unknown>; close: () => void }> {
    if (!this.#inspectorAddress) throw new Error(`the server printed no inspector address:\n${this.#output}`);
    const inspector = new WebSocket(this.#inspectorAddress);
    await once(inspector, 'open');
    const answers = new Map<number, (result: unknown) => void>();
    inspector.on('message', (data) => {
      const answer = JSON.parse((data as Buffer).toString('utf8')) as { id?: number; result?: unknown };
      if (answer.id !== undefined) answers.get(answer.id)?.(answer.result);
    });
    let lastId = 0;
    return {
      call: (method, params) =>
        new Promise<unknown>((resolve) => {
          lastId += 1;
          answers.set(lastId, resolve);
          inspector.send(JSON.stringify({ id: lastId, method, params }));
        }),
      close: () => inspector.close(),
    };
  }

  /** SIGTERM (so a `--cpu-prof` profile is written), SIGKILL if it does not exit in time. */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = once(this.#child, 'exit');
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}
