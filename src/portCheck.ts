import { createServer } from 'node:net';
import { StartupFailure } from './startupFailure.ts';

/**
 * Fails the start at once when this process cannot listen on `port`, before the slow steps
 * (database, migrations, content) that a busy port would waste. Binds the port as the HTTP server
 * will (every address, IPv6 and IPv4) and lets it go again.
 */
export async function checkPortFree(port: number): Promise<void> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error) => reject(listenFailure(error, port)));
    probe.listen(port, () => probe.close(() => resolve()));
  });
}

/** The operator's line for an error listening on `port`; other errors as they are. */
function listenFailure(error: Error, port: number): Error {
  const code = (error as { code?: unknown }).code;
  if (code === 'EADDRINUSE') {
    return new StartupFailure(`port ${port} is already in use by another process: stop it, or set PORT to a free port`, { cause: error });
  }
  if (code === 'EACCES') {
    return new StartupFailure(`port ${port} is not permitted for this user (ports below 1024 need privileges): set PORT to 1024 or above`, { cause: error });
  }
  return error;
}
