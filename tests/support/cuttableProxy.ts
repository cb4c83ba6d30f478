import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';

/**
 * A TCP proxy in front of a server (the test PostgreSQL), which a test can cut, as a network
 * outage would, without stopping the shared server: `cut()` drops every connection and refuses
 * new ones, `restore()` forwards again.
 */
export class CuttableProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #cut = false;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(targetHost: string, targetPort: number): Promise<CuttableProxy> {
    const proxy: CuttableProxy = new CuttableProxy(
      createServer((client) => {
        if (proxy.#cut) return void client.destroy();
        const upstream = connect(targetPort, targetHost);
        for (const socket of [client, upstream]) {
          proxy.#sockets.add(socket);
          socket.on('close', () => proxy.#sockets.delete(socket));
          socket.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      }),
    );
    proxy.#server.listen(0, '127.0.0.1');
    await once(proxy.#server, 'listening');
    return proxy;
  }

  get port(): number {
    return (this.#server.address() as { port: number }).port;
  }

  cut(): void {
    this.#cut = true;
    for (const socket of this.#sockets) socket.destroy();
  }

  restore(): void {
    this.#cut = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}
