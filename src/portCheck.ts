import { createServer } from 'node:net';
import { StartupFailure } from './startupFailure.ts';

/**
 * Fails the start at once when this process cannot listen on `port`, before the slow steps
 * (database, migrations, content) that a busy port would waste. Binds the port as the HTTP server
 * will (on HOST, or every address, IPv6 and IPv4, when it is undefined) and lets it go again.
 */
export async function checkPortFree(port: number, host: string | undefined): Promise<void> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error) => reject(listenFailure(error, port, host)));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** The operator's line for an error listening on `port` (of `host`); other errors as they are. */
function listenFailure(error: Error, port: number, host: string | undefined): Error {
  const code = (error as { code?: unknown }).code;
  const where = host === undefined ? `port ${port}` : `port ${port} of ${host}`;
  if (code === 'EADDRINUSE') {
    return new StartupFailure(`${where} is already in use by another process: stop it, or set PORT to a free port`, { cause: error });
  }
  if (code === 'EACCES') {
    return new StartupFailure(`${where} is not permitted for this user (ports below 1024 need privileges): set PORT to 1024 or above`, { cause: error });
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new StartupFailure(`HOST=${host ?? ''} is not an address of this machine: set HOST to one of its addresses, or 0.0.0.0 for every interface`, {
      cause: error,
    });
  }
  return error;
}
