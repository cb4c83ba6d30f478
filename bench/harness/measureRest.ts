import autocannon from 'autocannon';
import type { PinnedServer } from './PinnedServer.ts';

export type RestResult = {
  name: string;
  connections: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Requests answered with a status other than the one expected, and connection errors. */
  failures: number;
  /** Requests per second relative to the hello-world route in the same process. */
  ratioToHelloWorld: number;
};

/** The routes timed, each against `GET /health` (a trivial JSON route: the hello-world of this process). */
const ROUTES = [
  { name: 'GET /health (hello-world)', method: 'GET', path: '/health', body: undefined, status: 200, connections: 20 },
  { name: 'POST /api/labyrinths/preview size 10', method: 'POST', path: '/api/labyrinths/preview', body: { size: 10 }, status: 200, connections: 20 },
  { name: 'POST /api/labyrinths/preview size 64', method: 'POST', path: '/api/labyrinths/preview', body: { size: 64 }, status: 200, connections: 20 },
  { name: 'POST /api/sessions size 16, 20 creators', method: 'POST', path: '/api/sessions', body: { size: 16 }, status: 201, connections: 20 },
] as const;

/** autocannon against each route in turn for `seconds`, the server on its own core. */
export async function measureRest(server: PinnedServer, seconds: number): Promise<RestResult[]> {
  const results: Omit<RestResult, 'ratioToHelloWorld'>[] = [];
  for (const route of ROUTES) {
    const result = await autocannon({
      url: `${server.url}${route.path}`,
      method: route.method,
      connections: route.connections,
      duration: seconds,
      headers: { 'content-type': 'application/json' },
      body: route.body && JSON.stringify(route.body),
    });
    const expected = result.statusCodeStats?.[String(route.status) as `${number}`]?.count ?? 0;
    results.push({
      name: route.name,
      connections: route.connections,
      requestsPerSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      failures: result.requests.total - expected + result.errors,
    });
  }
  const helloWorld = results[0]!.requestsPerSecond;
  return results.map((result) => ({ ...result, ratioToHelloWorld: result.requestsPerSecond / helloWorld }));
}
