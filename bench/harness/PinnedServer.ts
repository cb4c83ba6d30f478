import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { projectRoot } from '../../src/projectRoot.ts';
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
  /** Sent as a bearer token to `/metrics`. */
  metricsToken?: string;
  /** Answers 200 once the server takes clients. */
  readyPath: string;
};

/**
 * A server under test in its own process, pinned to one core, with what the benchmark reads of it:
 * CPU time from /proc/<pid>/stat, RSS from /proc/<pid>/status, and the V8 heap from its `/metrics`
 * (prom-client's nodejs_heap_size_used_bytes).
 */
export class PinnedServer {
  readonly url: string;
  readonly #child: ChildProcess;
  readonly #metricsToken: string | undefined;
  #output = '';

  private constructor(child: ChildProcess, port: number, metricsToken: string | undefined) {
    this.#child = child;
    this.url = `http://127.0.0.1:${port}`;
    this.#metricsToken = metricsToken;
    const keep = (chunk: Buffer) => (this.#output = (this.#output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
  }

  static async start(options: PinnedServerOptions): Promise<PinnedServer> {
    const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, PORT: String(options.port) };
    delete env.NODE_APP_INSTANCE;
    // taskset execs node in place, so the child's pid is the server's.
    const child = spawn('taskset', ['-c', String(options.core), process.execPath, ...(options.nodeFlags ?? []), options.script], {
      cwd: projectRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new PinnedServer(child, options.port, options.metricsToken);
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

  async heapUsedBytes(): Promise<number> {
    const headers: Record<string, string> = this.#metricsToken ? { authorization: `Bearer ${this.#metricsToken}` } : {};
    const text = await (await fetch(`${this.url}/metrics`, { headers })).text();
    const match = /^nodejs_heap_size_used_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)$/m.exec(text);
    if (!match) throw new Error(`no nodejs_heap_size_used_bytes in ${this.url}/metrics`);
    return Number(match[1]);
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
