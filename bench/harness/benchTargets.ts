import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Workload } from '../loadtest/BotFleet.ts';
import type { TransportName } from '../loadtest/GameTransport.ts';
import { PinnedServer } from './PinnedServer.ts';

export const BENCH_ADMIN_PASSWORD = 'bench-admin-password';
/** Countdown before a round, for ours and the baselines alike (play workload). */
const COUNTDOWN_SECONDS = '1';
/** Patch spacings (PATCH_MIN_INTERVAL_MS) ours also plays at, besides the server's default: what the default was chosen from. */
const OTHER_PATCH_SPACINGS_MS = [10, 25];

/** One server set-up under one workload: a line of the results. */
export type BenchTarget = {
  name: string;
  /** Who serves: ours (Colyseus state patches), or a baseline. */
  server: 'ours' | 'ws' | 'socketio';
  transport: TransportName;
  workload: Workload;
  database?: 'pglite' | 'postgresql';
  /** PATCH_MIN_INTERVAL_MS when not the server's default. */
  patchMinIntervalMs?: number;
  /** How the sessions' players share what they see (`player`: each client's state filtered by the server). */
  fog?: 'team' | 'player';
  /** Starts a fresh server for one step (`outputFile`: where its output goes too); `stop` also removes what it stored. */
  start: (port: number, core: number, nodeFlags: string[], outputFile?: string) => Promise<{ server: PinnedServer; stop: () => Promise<void> }>;
};

function ours(
  workload: Workload,
  database: 'pglite' | 'postgresql',
  databaseUrl: string | undefined,
  { patchMinIntervalMs, fog = 'team' }: { patchMinIntervalMs?: number; fog?: 'team' | 'player' } = {},
): BenchTarget {
  const spacing = patchMinIntervalMs === undefined ? '' : `-spacing${patchMinIntervalMs}`;
  return {
    name: `ours-${workload}-${database}${spacing}${fog === 'player' ? '-fog-player' : ''}`,
    server: 'ours',
    transport: 'colyseus',
    workload,
    database,
    patchMinIntervalMs,
    fog,
    async start(port, core, nodeFlags, outputFile) {
      const dataDir = database === 'pglite' ? mkdtempSync(join(tmpdir(), 'labyrinth-bench-')) : undefined;
      const server = await PinnedServer.start({
        script: 'src/index.ts',
        port,
        core,
        nodeFlags,
        outputFile,
        readyPath: '/ready',
        env: {
          NODE_ENV: 'production',
          LOG_LEVEL: 'warn',
          ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
          COUNTDOWN_SECONDS,
          ...(patchMinIntervalMs === undefined ? {} : { PATCH_MIN_INTERVAL_MS: String(patchMinIntervalMs) }),
          // The load tool creates sessions and joins from one address, far faster than people.
          SESSION_CREATES_PER_MINUTE: '1000000',
          PREVIEWS_PER_MINUTE: '1000000',
          JOINS_PER_MINUTE: '1000000',
          MAX_SOCKETS_PER_ADDRESS: '100000',
          ...(dataDir ? { DATA_DIR: dataDir } : { DATABASE_URL: databaseUrl! }),
        },
      });
      // A PostgreSQL database outlives the server: start each step from no sessions.
      if (!dataDir) await fetch(`${server.url}/api/sessions`, { method: 'DELETE', headers: { authorization: `Bearer ${BENCH_ADMIN_PASSWORD}` } });
      return {
        server,
        async stop() {
          await server.stop();
          if (dataDir) rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  };
}

function baseline(kind: 'ws' | 'socketio', workload: Workload): BenchTarget {
  return {
    name: `${kind}-${workload}`,
    server: kind,
    transport: kind,
    workload,
    async start(port, core, nodeFlags, outputFile) {
      const script = kind === 'ws' ? 'bench/baselines/wsServer.ts' : 'bench/baselines/socketIoServer.ts';
      const server = await PinnedServer.start({ script, port, core, nodeFlags, outputFile, readyPath: '/health', env: { COUNTDOWN_SECONDS } });
      return { server, stop: () => server.stop() };
    },
  };
}

/** Every target, ours first; the PostgreSQL ones only when a database URL is given. */
export function benchTargets(databaseUrl: string | undefined): BenchTarget[] {
  const postgres = (target: BenchTarget) => (databaseUrl ? [target] : []);
  return [
    ours('lobby', 'pglite', undefined),
    ...postgres(ours('lobby', 'postgresql', databaseUrl)),
    baseline('ws', 'lobby'),
    baseline('socketio', 'lobby'),
    ours('play', 'pglite', undefined),
    ...postgres(ours('play', 'postgresql', databaseUrl)),
    ...OTHER_PATCH_SPACINGS_MS.flatMap((patchMinIntervalMs) => postgres(ours('play', 'postgresql', databaseUrl, { patchMinIntervalMs }))),
    // Per-player fog of war: every client's state filtered by the server (docs/protocol.md: private state).
    ...postgres(ours('play', 'postgresql', databaseUrl, { fog: 'player' })),
    baseline('ws', 'play'),
    baseline('socketio', 'play'),
  ];
}
