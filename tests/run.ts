// `npm test`: runs the whole suite on the embedded PGlite database, then the database-backed tests
// again on a real PostgreSQL when TEST_DATABASE_URL is set, then the cluster tests (real server
// processes sharing Redis and PostgreSQL) when TEST_REDIS_URL is set too (CI sets both). Test files
// run serially because @colyseus/testing always listens on port 2568. Ends with one
// "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';

type Failure = { title: string; file?: string; error: string };
type Summary = { passed: number; failed: number; skipped: number; failures?: Failure[] };
type Pass = {
  label: string;
  env: Record<string, string>;
  specs: string[];
  ignore?: string;
  /** Whether a file or pattern given on the command line belongs to this pass. */
  covers: (spec: string) => boolean;
};

const mochaBin = createRequire(import.meta.url).resolve('mocha/bin/mocha.js');
const under = (folder: string) => (spec: string) => normalize(spec).startsWith(`${folder}/`);
const isClusterTest = under('tests/cluster');
const passes: Pass[] = [
  {
    label: 'PGlite',
    env: { TEST_DATABASE: 'pglite' },
    specs: ['tests/**/*.test.ts'],
    ignore: 'tests/cluster/**',
    covers: (spec) => !isClusterTest(spec),
  },
];
if (process.env.TEST_DATABASE_URL) {
  passes.push({ label: 'PostgreSQL', env: { TEST_DATABASE: 'postgresql' }, specs: ['tests/server/**/*.test.ts'], covers: under('tests/server') });
} else {
  console.log('TEST_DATABASE_URL is not set: database tests run on PGlite only.');
}
if (process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL) {
  passes.push({ label: 'cluster', env: { TEST_DATABASE: 'postgresql' }, specs: ['tests/cluster/**/*.test.ts'], covers: isClusterTest });
} else {
  console.log('TEST_DATABASE_URL and TEST_REDIS_URL are not both set: the cluster tests (tests/cluster) are skipped.');
}

// Files or patterns on the command line narrow the run: each pass runs those it covers.
const requested = process.argv.slice(2);
const total: Summary = { passed: 0, failed: 0, skipped: 0 };
/** What failed, by pass, repeated above the last line. */
const failedTests: string[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'labyrinth-tests-'));
for (const pass of passes) {
  const specs = requested.length > 0 ? requested.filter(pass.covers) : pass.specs;
  if (specs.length === 0) continue;
  console.log(`\n=== tests on ${pass.label} ===`);
  const summaryFile = join(scratch, `${pass.label}.json`);
  const ignore = pass.ignore ? ['--ignore', pass.ignore] : [];
  const result = spawnSync(process.execPath, [mochaBin, '--reporter', 'tests/support/summaryReporter.cjs', ...ignore, ...specs], {
    stdio: 'inherit',
    // DOTENV_QUIET: @colyseus/testing imports @colyseus/tools, which loads /etc/environment with
    // dotenv, and dotenv would print `injected env (0) from ../../../etc/environment` into every run.
    env: { ...process.env, ...pass.env, DOTENV_QUIET: 'true', MOCHA_SUMMARY_FILE: summaryFile },
  });
  const summary = readSummary(summaryFile);
  if (!summary) {
    // Mocha died before its end event (a crash while loading a file): count it as a failure.
    console.error(`mocha on ${pass.label} ended without a summary (exit ${result.status ?? result.signal})`);
    total.failed += 1;
    failedTests.push(`${pass.label}: mocha ended without a summary (exit ${result.status ?? result.signal})`);
    continue;
  }
  total.passed += summary.passed;
  total.failed += summary.failed;
  total.skipped += summary.skipped;
  for (const failure of summary.failures ?? []) failedTests.push(`${pass.label}: ${failure.title} (${failure.file ?? 'a hook'}): ${failure.error}`);
  if (summary.failed === 0 && result.status !== 0) {
    console.error(`mocha on ${pass.label} exited with ${result.status ?? result.signal}`);
    total.failed += 1;
    failedTests.push(`${pass.label}: mocha exited with ${result.status ?? result.signal}`);
  }
}
rmSync(scratch, { recursive: true, force: true });

if (failedTests.length > 0) console.log(`\nfailed:\n${failedTests.map((line) => `  ${line}`).join('\n')}`);
console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed === 0 ? 0 : 1);

function readSummary(file: string): Summary | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Summary;
  } catch {
    return undefined;
  }
}
