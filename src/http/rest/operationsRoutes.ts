import type { ServerMetrics } from '../../metrics/ServerMetrics.ts';
import { errorResponse } from '../plumbing/errorSchemas.ts';
import { json } from '../plumbing/openApiResponses.ts';
import { health, readiness } from './restApiSchemas.ts';
import { routeOf, type RouteTable } from '../plumbing/routeTable.ts';

export type OperationsServices = {
  metrics: ServerMetrics;
  /** What `/ready` checks, by the name it reports each under (the database, and Redis when used). */
  readinessChecks: Record<string, () => Promise<{ ok: boolean; reason?: string }>>;
};

const route = routeOf<OperationsServices>();
const tag = 'operations';

/** Liveness, readiness and metrics, for load balancers and Prometheus. */
export const operationsRoutes: RouteTable<OperationsServices> = {
  errorShape: errorResponse,
  routes: [
    route({
      method: 'get',
      path: '/health',
      tag,
      summary: 'Liveness',
      responses: { 200: json(health, 'The process answers.') },
      handle: ({ res }) => {
        res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
      },
    }),
    route({
      method: 'get',
      path: '/ready',
      tag,
      summary: 'Readiness, for load balancers',
      responses: {
        200: json(readiness, 'The database (and Redis, when used) answer, and the process is not overloaded.'),
        503: json(readiness, 'A part does not answer, or the process is overloaded: `ok: false` with a `reason` on it.'),
      },
      // 503, naming the part that failed, while the database (or Redis, when several processes
      // share it) cannot be reached.
      handle: async ({ services: { readinessChecks }, res }) => {
        const checks = Object.entries(readinessChecks);
        const results = Object.fromEntries(await Promise.all(checks.map(async ([name, check]) => [name, await check()] as const)));
        const ready = Object.values(results).every((result) => result.ok);
        res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', ...results });
      },
    }),
    route({
      method: 'get',
      path: '/metrics',
      tag,
      summary: "This process's metrics (Prometheus text format)",
      responses: { 200: { description: 'Metrics.', content: { 'text/plain': { schema: { type: 'string' } } } } },
      // Prometheus scrapes each process on its own port; a read-only token spares it the admin password.
      access: 'metrics',
      handle: async ({ services: { metrics }, res }) => {
        res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
      },
    }),
  ],
};
