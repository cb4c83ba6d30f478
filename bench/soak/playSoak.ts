import { runLoad } from '../loadtest/runLoad.ts';
import type { LoadCounters } from '../loadtest/LoadCounters.ts';

/** What the play soak reads of the server at each sample. */
export type PlaySoakServer = {
  url: string;
  /** RSS and V8 heap in use, from its /metrics. */
  memory: () => Promise<{ rssBytes: number; heapUsedBytes: number }>;
  /** The database's size on disk (PostgreSQL's pg_database_size, or PGlite's data folder). */
  databaseBytes: () => Promise<number>;
  /** Rows and bytes (table, indexes, TOAST) of the audit trail, where the database can be asked (PostgreSQL). */
  auditTrail?: () => Promise<{ rows: number; bytes: number }>;
};

export type PlaySoakOptions = { clients: number; playersPerRoom: number; durationSeconds: number; sampleSeconds: number };

/** RSS at the end may be at most this much above RSS after the first sample. */
const RSS_GROWTH_ALLOWED = 0.1;
/** The bots move as the load tool's play workload does (docs/benchmarks.md), in the bench's play mazes. */
const MOVE_INTERVAL_MS = 200;
const MAZE_SIZE = 12;

type Sample = { seconds: number; rssBytes: number; heapUsedBytes: number; databaseBytes: number; changesSent: number; roundsFinished: number };

/**
 * `npm run soak -- --play`: `clients` bots play in rooms of `playersPerRoom` for the whole duration
 * (rounds finish when a bot reaches the exit, and the room's first bot asks for a new one), while the
 * server's RSS, heap and database size are printed every `sampleSeconds`. Returns 1 when RSS at the
 * end is more than 10% above RSS at the first sample (memory that grows with play), else 0.
 */
export async function playSoak(server: PlaySoakServer, options: PlaySoakOptions): Promise<{ exitCode: number; sessionIds: string[] }> {
  const samples: Sample[] = [];
  let totals: LoadCounters | undefined;
  let acting: number | undefined;
  let sampling = Promise.resolve();
  const takeSample = async () => {
    const seconds = Math.round((performance.now() - acting!) / 1000);
    const sample = { seconds, ...(await server.memory()), databaseBytes: await server.databaseBytes(), changesSent: 0, roundsFinished: 0 };
    sample.changesSent = totals?.changesSent ?? 0;
    sample.roundsFinished = totals?.roundsFinished ?? 0;
    samples.push(sample);
    const audit = await server.auditTrail?.();
    console.log(
      `${String(seconds).padStart(5)} s  RSS ${mb(sample.rssBytes)}  heap ${mb(sample.heapUsedBytes)}  database ${mb(sample.databaseBytes)}` +
        `  moves+readies sent ${sample.changesSent}  rounds finished ${sample.roundsFinished}` +
        (audit ? `  audit trail ${audit.rows} rows, ${mb(audit.bytes)}` : ''),
    );
  };
  let timer: NodeJS.Timeout | undefined;
  const rooms = Math.ceil(options.clients / options.playersPerRoom);
  const result = await runLoad({
    url: server.url,
    transport: 'colyseus',
    workload: 'play',
    rooms,
    players: options.playersPerRoom,
    durationSeconds: options.durationSeconds,
    intervalMs: MOVE_INTERVAL_MS,
    mazeSize: MAZE_SIZE,
    workers: 2,
    onActing: (event) => {
      if (event === 'end') {
        clearInterval(timer);
        // The last reading, unless the interval has just taken it.
        if ((performance.now() - acting!) / 1000 - (samples.at(-1)?.seconds ?? 0) > 1) sampling = sampling.then(takeSample);
        return;
      }
      acting = performance.now();
      timer = setInterval(() => {
        sampling = sampling.then(takeSample);
      }, options.sampleSeconds * 1000);
    },
    // Not a stop condition: the soak's view of the running totals.
    until: (running) => {
      totals = running;
      return false;
    },
  });
  await sampling;
  const { joinsOk, joinsFailed, roundsFinished, changeLatency, drops, closes } = result.totals;
  const closed = Object.values(closes).reduce((sum, count) => sum + count, 0);
  console.log(
    `\nplay soak: ${rooms} rooms × ${options.playersPerRoom} bots, ${result.actingSeconds.toFixed(0)} s: ${joinsOk} joined (${joinsFailed} failed), ` +
      `${roundsFinished} rounds finished, change p99 ${changeLatency.p99.toFixed(0)} ms, ${drops} drops, ${closed} closed by the server`,
  );
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || samples.length < 2) {
    console.log('play soak FAILED: fewer than two samples (make --duration at least twice the sample interval)');
    return { exitCode: 1, sessionIds: result.sessionIds };
  }
  const hours = (last.seconds - first.seconds) / 3600;
  const databasePerHour = (last.databaseBytes - first.databaseBytes) / hours;
  const changes = last.changesSent - first.changesSent;
  console.log(
    `database: +${mb(last.databaseBytes - first.databaseBytes)} from the first sample to the last = ${mb(databasePerHour)} per hour of play at this load` +
      (changes > 0 ? ` (${((last.databaseBytes - first.databaseBytes) / changes).toFixed(0)} bytes per move or readiness sent)` : ''),
  );
  const limit = first.rssBytes * (1 + RSS_GROWTH_ALLOWED);
  const grew = last.rssBytes > limit || joinsFailed > 0;
  console.log(
    grew
      ? `play soak FAILED: RSS ${mb(last.rssBytes)} at the end, allowed up to ${mb(limit)} (first sample + 10%)${joinsFailed ? `, ${joinsFailed} joins failed` : ''}`
      : `play soak passed: RSS ${mb(first.rssBytes)} at the first sample, ${mb(last.rssBytes)} at the end (allowed up to ${mb(limit)})`,
  );
  return { exitCode: grew ? 1 : 0, sessionIds: result.sessionIds };
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
