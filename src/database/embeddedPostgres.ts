import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.ts';
import type { EmbeddedPostgresWorkerData } from './embeddedPostgresWorker.ts';

/** Where the ORM connects to the embedded database: a Unix socket in `host`, as PostgreSQL names it. */
export type EmbeddedPostgres = { host: string; port: number; user: string; dbName: string; stop(): Promise<void> };

const run = promisify(execFile);

/** The port in the socket's name (`.s.PGSQL.<port>`); nothing listens on a TCP port. */
const SOCKET_PORT = 5432;
/**
 * Connections the ORM's pool may hold: one. pglite-socket feeds every connection's protocol messages
 * to the one PGlite instance in turn, so two connections' Parse/Bind/Execute of unnamed statements
 * interleave ("unnamed prepared statement does not exist", seen under load); PGlite runs one query at
 * a time anyway, so one connection costs no concurrency.
 */
export const EMBEDDED_POOL_SIZE = 1;

/**
 * Starts the embedded PGlite database (data in `dataDir`) in a worker thread, serving the
 * PostgreSQL protocol on a Unix socket in a private folder, so the ORM talks to it exactly as to a
 * PostgreSQL server. PGlite's WebAssembly then runs on the worker's thread, and a query costs the
 * rooms' event loop only its protocol work (docs/operations.md, Database). If the worker dies, the process
 * cannot go on without its database: it exits.
 */
export async function startEmbeddedPostgres(dataDir: string, logger: Logger): Promise<EmbeddedPostgres> {
  // Only this user may reach the socket: PGlite asks no password.
  const host = mkdtempSync(join(tmpdir(), 'labyrinth-pglite-'));
  chmodSync(host, 0o700);
  const workerData: EmbeddedPostgresWorkerData = {
    dataDir,
    socketPath: join(host, `.s.PGSQL.${SOCKET_PORT}`),
    maxConnections: EMBEDDED_POOL_SIZE,
  };
  try {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      logger.info({ dataDir }, 'creating the embedded PGlite database (first start in this folder only: a few seconds)');
      await createDatabaseFiles(dataDir);
    }
    const serving = startWorker(workerData, logger);
    await serving.started;
    return {
      host,
      port: SOCKET_PORT,
      user: 'postgres',
      dbName: 'postgres',
      stop: async () => {
        await serving.stop();
        rmSync(host, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(host, { recursive: true, force: true });
    throw new Error(`The embedded database in ${dataDir} did not start: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** initdb in a process of its own (embeddedPostgresInit.ts says why); its error output is the error's message. */
async function createDatabaseFiles(dataDir: string): Promise<void> {
  const script = fileURLToPath(new URL(`./embeddedPostgresInit${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
  try {
    await run(process.execPath, [script, dataDir], { encoding: 'utf8' });
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(stderr?.trim().split('\n').at(-1) || (error as Error).message, { cause: error });
  }
}

/**
 * One worker running `embeddedPostgresWorker`. While serving, the process cannot go on without
 * its database: if the worker dies, the process exits.
 */
function startWorker(workerData: EmbeddedPostgresWorkerData, logger: Logger): { started: Promise<void>; stop(): Promise<void> } {
  // The worker is a sibling module: .ts under type stripping, .js in the production build.
  const worker = new Worker(new URL(`./embeddedPostgresWorker${extname(fileURLToPath(import.meta.url))}`, import.meta.url), { workerData });
  let stopping = false;
  worker.on('error', (error) => logger.fatal({ err: error }, 'the embedded database failed'));
  worker.on('exit', (code) => {
    if (stopping) return;
    logger.fatal({ code }, 'the embedded database stopped unexpectedly: exiting');
    process.exit(1);
  });
  const started = nextMessage(worker).then(async (message) => {
    const { ready, failed } = message as { ready?: true; failed?: string };
    if (ready) return;
    stopping = true;
    await worker.terminate();
    throw new Error(failed);
  });
  return {
    started,
    async stop() {
      stopping = true;
      worker.postMessage({ stop: true });
      await nextMessage(worker);
      await worker.terminate();
    },
  };
}

/**
 * The worker's next reply. Under `node --watch` (`npm run dev`) Node also posts its own
 * `{"watch:import": […]}` messages from every worker thread, naming the files it loads: not replies.
 */
function nextMessage(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const exited = (code: number) => reject(new Error(`the embedded database worker exited with code ${code}`));
    const received = (message: unknown) => {
      if (isWatchModeNotice(message)) return;
      worker.off('message', received);
      worker.off('exit', exited);
      resolve(message);
    };
    worker.once('exit', exited);
    worker.on('message', received);
  });
}

function isWatchModeNotice(message: unknown): boolean {
  return typeof message === 'object' && message !== null && Object.keys(message).some((key) => key.startsWith('watch:'));
}
