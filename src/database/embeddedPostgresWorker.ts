// Runs in a worker thread (see embeddedPostgres.ts): the embedded PGlite database, served over the
// PostgreSQL protocol on a Unix socket, so that its WebAssembly runs beside the rooms' event loop
// rather than on it.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { PGLITE_START_PARAMS } from './pgliteStartParams.ts';

/** What the main thread hands over (the database files in `dataDir` exist: embeddedPostgresInit.ts). */
export type EmbeddedPostgresWorkerData = { dataDir: string; socketPath: string; maxConnections: number };

const { dataDir, socketPath, maxConnections } = workerData as EmbeddedPostgresWorkerData;
const port = parentPort!;

try {
  const db = await PGlite.create(dataDir, { startParams: PGLITE_START_PARAMS });
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections });
  await server.start();
  // Asked to stop: no new connections, then PGlite closes (flushing its files). A failure is
  // left unhandled on purpose: it ends the worker, which the server treats as losing its database.
  port.once('message', () => void stop());
  async function stop(): Promise<void> {
    await server.stop();
    await db.close();
    port.postMessage({ stopped: true });
  }
  port.postMessage({ ready: true });
} catch (error) {
  port.postMessage({ failed: error instanceof Error ? error.message : String(error) });
}
