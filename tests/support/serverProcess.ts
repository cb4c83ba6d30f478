import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeAllDatabases } from '../../src/database/openDatabase.ts';
import { projectRoot } from '../../src/projectRoot.ts';
import type { UntypedJson } from './httpClient.ts';
import { GENEROUS_LIMITS, TEST_ADMIN_PASSWORD } from './testServer.ts';

/** How long a server process may take to answer `/ready` (PostgreSQL, Redis, content loading; a first PGlite start on a busy machine). */
const START_TIMEOUT_MS = 60_000;
/** Output kept per process, shown when a test fails. */
const OUTPUT_LIMIT = 50_000;

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

/** The real server (`node src/index.ts`) running as a separate process on loopback. */
export type ServerProcess = {
  port: number;
  /** `http://127.0.0.1:<port>` (or HOST's address, when the environment sets it) */
  url: string;
  pid: number;
  /** Settles when the process has exited. */
  exited: Promise<Exit>;
  /** What the process wrote to stdout and stderr (the last OUTPUT_LIMIT characters). */
  output(): string;
};

const running = new Set<ChildProcess>();

/**
 * Starts `node src/index.ts` on `port` with the given environment on top of this one (and Node's own
 * options before the script, e.g. `--watch`), and resolves once it answers `GET /ready` with 200.
 * Fails with the process's output if it exits or never gets ready. Every process started here is
 * killed by `killServerProcesses()`.
 */
export async function startServerProcess(port: number, env: Record<string, string>, nodeOptions: string[] = []): Promise<ServerProcess> {
  const { child, exited, output } = spawnNode([...nodeOptions, 'src/index.ts'], { ...env, PORT: String(port) });
  const server: ServerProcess = {
    port,
    url: `http://${env.HOST ?? '127.0.0.1'}:${port}`,
    pid: child.pid!,
    exited,
    output,
  };

  let exitedEarly: Exit | undefined;
  void exited.then((exit) => (exitedEarly = exit));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && !exitedEarly) {
    if (await answersReady(server.url)) return server;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const why = exitedEarly ? `exited (${exitedEarly.code ?? exitedEarly.signal})` : `was not ready after ${START_TIMEOUT_MS} ms`;
  child.kill('SIGKILL');
  throw new Error(`server process on port ${port} ${why}:\n${output()}`);
}

/**
 * Runs a script that should end by itself (a server start that must fail, `db:reset`) with the
 * environment of `startServerProcess`, and resolves with its exit and output; killed after `timeoutMs`.
 */
export async function runToExit(args: string[], env: Record<string, string>, timeoutMs = 20_000): Promise<Exit & { output: string }> {
  const { child, exited, output } = spawnNode(args, env);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exit = await exited;
  clearTimeout(timer);
  return { ...exit, output: output() };
}

/** `node <args>` in the project folder, as a test server: quiet logs, test limits, `env` on top. */
function spawnNode(args: string[], env: Record<string, string>): { child: ChildProcess; exited: Promise<Exit>; output: () => string } {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    // A shared test machine runs several of these at once: joins are not refused for being late.
    OVERLOAD_DELAY_MS: '10000',
    ...GENEROUS_LIMITS,
    ...env,
  };
  // Set by PM2 only; inherited values would change the port or trip the multi-process checks.
  delete childEnv.NODE_APP_INSTANCE;
  delete childEnv.instances;
  const child = spawn(process.execPath, args, { cwd: projectRoot, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = once(child, 'exit').then(([code, signal]) => {
    running.delete(child);
    return { code, signal };
  });
  return { child, exited, output: () => output };
}

/** Sends `signal` and waits for the exit, killing the process if it takes longer than `timeoutMs`. */
export async function stopServerProcess(server: ServerProcess, signal: NodeJS.Signals, timeoutMs: number): Promise<Exit> {
  process.kill(server.pid, signal);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  const result = await Promise.race([server.exited, late]);
  clearTimeout(timer);
  if (result === 'late') {
    process.kill(server.pid, 'SIGKILL');
    throw new Error(`server process on port ${server.port} did not exit within ${timeoutMs} ms after ${signal}:\n${server.output()}`);
  }
  return result;
}

/** Kills every server process still running (after each test, whatever its outcome). */
export async function killServerProcesses(): Promise<void> {
  const children = [...running].filter((child) => child.exitCode === null && child.signalCode === null);
  await Promise.all(
    children.map(async (child) => {
      const exit = once(child, 'exit');
      child.kill('SIGKILL');
      await exit;
    }),
  );
}

/** The PostgreSQL and Redis that the processes of a cluster test share. */
export type ClusterServices = { databaseUrl: string; redisUrl: string };

/** The cluster pass's PostgreSQL and Redis (tests/run.ts sets them); a clear failure without them. */
export function clusterServices(): ClusterServices {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const redisUrl = process.env.TEST_REDIS_URL;
  if (!databaseUrl || !redisUrl || process.env.TEST_DATABASE !== 'postgresql') {
    throw new Error('these tests need TEST_DATABASE_URL and TEST_REDIS_URL; run them with `npm test` (tests/run.ts)');
  }
  return { databaseUrl, redisUrl };
}

/** After a cluster test file: no server process left running (also when a test failed half-way), no database pool open. */
export async function endClusterTest(): Promise<void> {
  await killServerProcesses();
  await closeAllDatabases();
}

/**
 * Where a server process of this test pass keeps its data: the PostgreSQL under test (emptied by
 * `resetTestDatabase`), or a fresh embedded PGlite folder of its own.
 */
export function databaseEnvironment(): Record<string, string> {
  if (process.env.TEST_DATABASE === 'postgresql') return { DATABASE_URL: process.env.TEST_DATABASE_URL! };
  return { DATA_DIR: mkdtempSync(join(tmpdir(), 'labyrinth-process-')) };
}

/** A JSON request to a server process, as the admin; the body parsed when it is JSON. */
export async function httpTo(server: ServerProcess, method: string, path: string, json?: unknown): Promise<{ status: number; body: UntypedJson }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TEST_ADMIN_PASSWORD}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await response.text();
  return { status: response.status, body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

async function answersReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2000) });
    return response.status === 200;
  } catch {
    return false;
  }
}
