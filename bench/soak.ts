// `npm run soak -- [--duration S]`: a bounded soak of the real server (`node src/index.ts`, a
// process of its own). `--play [--clients N]` soaks play instead (bench/soak/playSoak.ts: N bots
// play rounds for the whole duration; RSS, heap and database size printed per minute). Otherwise rooms churn in cycles: each cycle creates sessions, the load tool's play bots
// join, pick characters, get ready, play rounds, chat and leave, and the sessions are deleted. After
// the first cycle and after the last one, with the server idle, it samples the server's RSS, V8
// heap and open handles (its /metrics) and its PostgreSQL connections; it prints the figures and
// exits 1 when any of them did not come back near its baseline (a leak), 0 otherwise.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { projectRoot } from '../src/projectRoot.ts';
import { runLoad } from './loadtest/runLoad.ts';
import { playSoak } from './soak/playSoak.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '600' },
    port: { type: 'string', default: '2591' },
    rooms: { type: 'string', default: '6' },
    players: { type: 'string', default: '4' },
    cycle: { type: 'string', default: '20' },
    play: { type: 'boolean', default: false },
    clients: { type: 'string', default: '500' },
    'sample-every': { type: 'string', default: '60' },
  },
});
const durationSeconds = Number(values.duration);
const cycleSeconds = Math.min(Number(values.cycle), Math.max(5, Math.floor(durationSeconds / 3)));
const port = Number(values.port);
const url = `http://127.0.0.1:${port}`;
/** PostgreSQL to soak on (its connections are counted); the embedded PGlite when unset. */
const databaseUrl = process.env.SOAK_DATABASE_URL;
const ADMIN_PASSWORD = 'soak-admin-password';
/** Seconds the server is left idle before each sample, for rooms to dispose and writes to land. */
const SETTLE_SECONDS = 5;

/** How far each figure may end above its baseline before the soak fails. */
const TOLERANCE = {
  rssBytes: (baseline: number) => baseline + Math.max(64 * 2 ** 20, baseline * 0.25),
  heapUsedBytes: (baseline: number) => baseline + Math.max(32 * 2 ** 20, baseline * 0.25),
  handles: (baseline: number) => baseline + 5,
  databaseConnections: (baseline: number) => baseline + 2,
};
type Figures = Record<keyof typeof TOLERANCE, number>;

const dataDir = databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'labyrinth-soak-'));
const server = spawn(process.execPath, ['src/index.ts'], {
  cwd: projectRoot,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    ADMIN_PASSWORD,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir }),
    // The bots join from one address, far faster than people.
    SESSION_CREATES_PER_MINUTE: '100000',
    PREVIEWS_PER_MINUTE: '100000',
    JOINS_PER_MINUTE: '100000',
    MAX_SOCKETS_PER_ADDRESS: '100000',
    COUNTDOWN_SECONDS: '0.5',
  },
});
const stopServer = () => {
  if (server.exitCode === null) server.kill('SIGTERM');
};
process.on('exit', stopServer);

const admin = { authorization: `Bearer ${ADMIN_PASSWORD}` };
const database = databaseUrl ? new pg.Client({ connectionString: databaseUrl }) : undefined;
let exitCode = 1;
try {
  await waitUntilReady();
  await database?.connect();
  if (values.play) {
    const played = await playSoak(
      { url, memory: serverMemory, databaseBytes, ...(database ? { auditTrail } : {}) },
      { clients: Number(values.clients), playersPerRoom: 8, durationSeconds, sampleSeconds: Number(values['sample-every']) },
    );
    await deleteSessions(played.sessionIds);
    exitCode = played.exitCode;
  } else exitCode = await churnSoak();
} catch (error) {
  console.error('soak failed:', error);
} finally {
  await database?.end();
  stopServer();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);

/** Cycles of churn until the duration is over; 1 when a figure did not come back to its baseline. */
async function churnSoak(): Promise<number> {
  const started = Date.now();
  let cycles = 0;
  let baseline: Figures | undefined;
  while (cycles === 0 || Date.now() - started < durationSeconds * 1000) {
    const remaining = durationSeconds - (Date.now() - started) / 1000;
    await churn(Math.max(5, Math.min(cycleSeconds, Math.floor(remaining))));
    cycles += 1;
    if (!baseline) baseline = await sample();
  }
  const final = await sample();
  return report(baseline!, final, cycles);
}

/** One cycle: sessions created, bots join, play and leave, sessions deleted. */
async function churn(seconds: number): Promise<void> {
  const result = await runLoad({
    url,
    transport: 'colyseus',
    workload: 'play',
    rooms: Number(values.rooms),
    players: Number(values.players),
    durationSeconds: seconds,
    intervalMs: 150,
    mazeSize: 6,
    workers: 1,
  });
  await deleteSessions(result.sessionIds);
  const { joinsOk, joinsFailed, roundsFinished } = result.totals;
  console.log(
    `cycle: ${result.options.rooms} rooms × ${result.options.players} players, ${seconds} s: ${joinsOk} joins (${joinsFailed} failed), ${roundsFinished} rounds finished`,
  );
}

async function deleteSessions(ids: string[]): Promise<void> {
  await Promise.all(ids.map((id) => fetch(`${url}/api/sessions/${id}`, { method: 'DELETE', headers: admin })));
}

async function serverMemory(): Promise<{ rssBytes: number; heapUsedBytes: number }> {
  const metrics = await (await fetch(`${url}/metrics`, { headers: admin })).text();
  return { rssBytes: metric(metrics, 'process_resident_memory_bytes'), heapUsedBytes: metric(metrics, 'nodejs_heap_size_used_bytes') };
}

/** PostgreSQL's size of the soak database, or the PGlite data folder's files. */
async function databaseBytes(): Promise<number> {
  if (database) return Number((await database.query<{ bytes: string }>('select pg_database_size(current_database()) as bytes')).rows[0]!.bytes);
  return readdirSync(dataDir!, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

async function auditTrail(): Promise<{ rows: number; bytes: number }> {
  const result = await database!.query<{ rows: number; bytes: string }>(
    "select count(*)::int as rows, pg_total_relation_size('session_event') as bytes from session_event",
  );
  return { rows: result.rows[0]!.rows, bytes: Number(result.rows[0]!.bytes) };
}

/** The server's figures once idle: the lowest of five readings a second apart (heap after a collection, most likely). */
async function sample(): Promise<Figures> {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_SECONDS * 1000));
  const readings: Figures[] = [];
  for (let i = 0; i < 5; i += 1) {
    const metrics = await (await fetch(`${url}/metrics`, { headers: admin })).text();
    readings.push({
      rssBytes: metric(metrics, 'process_resident_memory_bytes'),
      heapUsedBytes: metric(metrics, 'nodejs_heap_size_used_bytes'),
      handles: metric(metrics, 'nodejs_active_handles_total'),
      databaseConnections: await databaseConnections(),
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return Object.fromEntries(Object.keys(TOLERANCE).map((key) => [key, Math.min(...readings.map((reading) => reading[key as keyof Figures]))])) as Figures;
}

function metric(text: string, name: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `) || candidate.startsWith(`${name}{`));
  if (!line) throw new Error(`/metrics has no ${name}`);
  return Number(line.split(' ').at(-1));
}

/** Connections to the soak database other than this script's own (0 on PGlite, which has none to count). */
async function databaseConnections(): Promise<number> {
  if (!database) return 0;
  const result = await database.query<{ count: number }>(
    'select count(*)::int as count from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
  );
  return result.rows[0]!.count;
}

function report(baseline: Figures, final: Figures, cycles: number): number {
  const format = (key: keyof Figures, value: number) => (key.endsWith('Bytes') ? `${(value / 2 ** 20).toFixed(1)} MB` : String(value));
  console.log(`\nsoak: ${cycles} cycles in ${durationSeconds} s${databaseUrl ? '' : ' (PGlite: database connections not counted)'}`);
  console.log('figure                 after cycle 1   at the end      allowed up to');
  let grew = false;
  for (const key of Object.keys(TOLERANCE) as (keyof Figures)[]) {
    const limit = TOLERANCE[key](baseline[key]);
    const over = final[key] > limit;
    grew ||= over;
    console.log(
      `${key.padEnd(22)} ${format(key, baseline[key]).padEnd(15)} ${format(key, final[key]).padEnd(15)} ${format(key, limit)}${over ? '   GREW' : ''}`,
    );
  }
  console.log(grew ? '\nsoak FAILED: a figure did not return to its baseline' : '\nsoak passed: every figure returned to its baseline');
  return grew ? 1 : 0;
}

async function waitUntilReady(): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    const ready = await fetch(`${url}/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the server was not ready within 30 s');
}
