// `npm test`: runs the whole suite on the embedded PGlite database, then the database-backed tests
// again on a real PostgreSQL when TEST_DATABASE_URL is set, then the cluster tests (real server
// processes sharing Redis and PostgreSQL) when TEST_REDIS_URL is set too (CI sets both).
//
// Within the PGlite and PostgreSQL passes, test files run in parallel (mocha's parallel mode, TEST_JOBS
// worker processes, by default one per core up to 4): each worker has its own ports and its own
// PostgreSQL database (tests/support/testWorkers.ts). The files that measure time or load the
// machine (ALONE) run afterwards, one at a time, and so does the cluster pass (its processes share
// one Redis). Ends with one "N passed, N failed" line, the failed tests listed above it.
import { spawnSync } from 'node:child_process';
import { existsSync, globSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join, matchesGlob, normalize } from 'node:path';
import pg from 'pg';
import { workerDatabaseUrl } from './support/testWorkers.ts';

type Failure = { title: string; file?: string; error: string };
type Summary = { passed: number; failed: number; skipped: number; failures?: Failure[] };
type Pass = {
  label: string;
  env: Record<string, string>;
  specs: string[];
  ignore?: string;
  /** Whether a file or pattern given on the command line belongs to this pass. */
  covers: (spec: string) => boolean;
  /** Whether its files may run in parallel (each worker then needs a database of its own on PostgreSQL). */
  parallel: boolean;
};

/**
 * Files that run alone, after the parallel part of their pass: they measure latency or lateness
 * against a bound (a neighbour's load would be theirs), or drive Chromium.
 */
const ALONE = ['tests/browser/**', 'tests/server/floodLatency.test.ts', 'tests/server/overload.test.ts', 'tests/server/crashDurability.test.ts'];

const mochaBin = createRequire(import.meta.url).resolve('mocha/bin/mocha.js');
const under = (folder: string) => (spec: string) => {
  const path = normalize(spec).replace(/\/$/, '');
  return path === folder || path.startsWith(`${folder}/`);
};
const isClusterTest = under('tests/cluster');
const passes: Pass[] = [
  {
    label: 'PGlite',
    env: { TEST_DATABASE: 'pglite' },
    specs: ['tests/**/*.test.ts'],
    ignore: 'tests/cluster/**',
    covers: (spec) => !isClusterTest(spec),
    parallel: true,
  },
];
if (process.env.TEST_DATABASE_URL) {
  passes.push({
    label: 'PostgreSQL',
    env: { TEST_DATABASE: 'postgresql' },
    specs: ['tests/server/**/*.test.ts'],
    covers: under('tests/server'),
    parallel: true,
  });
} else {
  console.log('TEST_DATABASE_URL is not set: database tests run on PGlite only.');
}
if (process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL) {
  passes.push({ label: 'cluster', env: { TEST_DATABASE: 'postgresql' }, specs: ['tests/cluster/**/*.test.ts'], covers: isClusterTest, parallel: false });
} else {
  console.log('TEST_DATABASE_URL and TEST_REDIS_URL are not both set: the cluster tests (tests/cluster) are skipped.');
}

const jobs = Math.max(1, Number(process.env.TEST_JOBS ?? Math.min(availableParallelism(), 4)));
// Each worker of a parallel run has a PostgreSQL database of its own, created here once.
const workerDatabases = jobs > 1 && process.env.TEST_DATABASE_URL ? await createWorkerDatabases(process.env.TEST_DATABASE_URL, jobs) : false;

// Files or patterns on the command line narrow the run: each pass runs those it covers.
const requested = process.argv.slice(2);
const total: Summary = { passed: 0, failed: 0, skipped: 0 };
/** What failed, by pass, repeated above the last line. */
const failedTests: string[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'labyrinth-tests-'));
for (const pass of passes) {
  const files = testFiles(requested.length > 0 ? requested.filter(pass.covers) : pass.specs, pass.ignore);
  if (files.length === 0) continue;
  const started = Date.now();
  const parallel = pass.parallel && jobs > 1 && (pass.env.TEST_DATABASE !== 'postgresql' || workerDatabases);
  const alone = parallel ? files.filter((file) => ALONE.some((pattern) => matchesGlob(file, pattern))) : [];
  const together = files.filter((file) => !alone.includes(file));
  console.log(`\n=== tests on ${pass.label}${parallel ? `: ${together.length} files on ${jobs} workers, then ${alone.length} alone` : ''} ===`);
  runMocha(pass, 'together', together, parallel);
  runMocha(pass, 'alone', alone, false);
  console.log(`\n=== ${pass.label}: ${Math.round((Date.now() - started) / 1000)} s ===`);
}
rmSync(scratch, { recursive: true, force: true });

if (failedTests.length > 0) console.log(`\nfailed:\n${failedTests.map((line) => `  ${line}`).join('\n')}`);
console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed === 0 ? 0 : 1);

/** Runs one mocha over `files` and adds up what it reports. */
function runMocha(pass: Pass, part: string, files: string[], parallel: boolean): void {
  if (files.length === 0) return;
  const summaryFile = join(scratch, `${pass.label}-${part}.json`);
  const workers = parallel && files.length > 1 ? ['--parallel', '--jobs', String(jobs)] : [];
  const result = spawnSync(
    process.execPath,
    [mochaBin, '--reporter', 'tests/support/summaryReporter.cjs', '--require', 'tests/support/testWorker.ts', ...workers, ...files],
    {
      stdio: 'inherit',
      // DOTENV_QUIET: @colyseus/testing imports @colyseus/tools, which loads /etc/environment with
      // dotenv, and dotenv would print `injected env (0) from ../../../etc/environment` into every run.
      env: {
        ...process.env,
        ...pass.env,
        DOTENV_QUIET: 'true',
        MOCHA_SUMMARY_FILE: summaryFile,
        ...(workers.length > 0 && workerDatabases ? { TEST_WORKER_DATABASES: 'true' } : {}),
      },
    },
  );
  const summary = readSummary(summaryFile);
  const exit = result.status ?? result.signal;
  if (!summary) {
    // Mocha died before its end event (a crash while loading a file): count it as a failure.
    console.error(`mocha on ${pass.label} ended without a summary (exit ${exit})`);
    total.failed += 1;
    failedTests.push(`${pass.label}: mocha ended without a summary (exit ${exit})`);
    return;
  }
  total.passed += summary.passed;
  total.failed += summary.failed;
  total.skipped += summary.skipped;
  for (const failure of summary.failures ?? []) failedTests.push(`${pass.label}: ${failure.title} (${failure.file ?? 'a hook'}): ${failure.error}`);
  if (summary.failed === 0 && result.status !== 0) {
    console.error(`mocha on ${pass.label} exited with ${exit}`);
    total.failed += 1;
    failedTests.push(`${pass.label}: mocha exited with ${exit}`);
  }
}

/** The test files that `patterns` name (files or globs), less `ignore`, in a stable order. */
function testFiles(patterns: string[], ignore: string | undefined): string[] {
  // A folder on the command line (`npm test -- tests/cluster`) means the test files in it.
  const globs = patterns.map((pattern) => (existsSync(pattern) && statSync(pattern).isDirectory() ? `${pattern.replace(/\/$/, '')}/**/*.test.ts` : pattern));
  const files = globSync(globs)
    .map((file) => normalize(file))
    .filter((file) => ignore === undefined || !matchesGlob(file, ignore));
  return [...new Set(files)].sort();
}

/**
 * Creates `<database>_w1` … `_w<jobs-1>` beside the database in `url` (worker 0 uses that one), as
 * tests/support/testWorkers.ts names them. False, with the reason, when they cannot be created
 * (a user without CREATEDB): then the PostgreSQL pass runs its files one at a time.
 */
async function createWorkerDatabases(url: string, count: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    for (let worker = 1; worker < count; worker++) {
      const name = decodeURIComponent(new URL(workerDatabaseUrl(url, worker)).pathname.slice(1));
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
      if (!rowCount) await client.query(`create database "${name.replaceAll('"', '""')}"`);
    }
    return true;
  } catch (error) {
    console.log(
      `cannot create the parallel workers' PostgreSQL databases (${error instanceof Error ? error.message : String(error)}): PostgreSQL tests run one file at a time.`,
    );
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function readSummary(file: string): Summary | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Summary;
  } catch {
    return undefined;
  }
}
