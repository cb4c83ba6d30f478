// Runs in a worker thread (see embeddedPostgres.ts): the embedded PGlite database, served over the
// PostgreSQL protocol on a Unix socket, so that its WebAssembly runs beside the rooms' event loop
// rather than on it.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * What the main thread hands over. `initOnly`: create the database files in `dataDir` and stop (a
 * worker of its own, so that the memory initdb takes is given back when it ends).
 */
export type EmbeddedPostgresWorkerData = { dataDir: string; socketPath: string; maxConnections: number; initOnly: boolean };

// PostgreSQL's default 128 MB of shared buffers is most of PGlite's memory, and the operating system
// caches the data files anyway; 16 MB holds a server's hot rows (players, sessions, the tiles being
// revealed). Otherwise PGlite's own settings: -F is its default (no fsync per commit).
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

const { dataDir, socketPath, maxConnections, initOnly } = workerData as EmbeddedPostgresWorkerData;
const port = parentPort!;

try {
  const db = await PGlite.create(dataDir, { startParams: START_PARAMS });
  if (initOnly) {
    await db.close();
    port.postMessage({ ready: true });
  } else {
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
  }
} catch (error) {
  port.postMessage({ failed: error instanceof Error ? error.message : String(error) });
}
