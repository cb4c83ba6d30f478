// How many clients one server process holds and how fast a change reaches every other client,
// against a raw `ws` server and a Socket.IO 4 server playing the same game, in the same run:
//   npm run bench                       the full run (steps of 100 to 4,000 clients)
//   npm run bench -- --quick            under two minutes
//   npm run bench -- --only ours-lobby-pglite,ws-lobby,rest --steps 100,500   (`rest`: the REST figures; --no-rest leaves them out)
//   npm run bench -- --cpu-prof --only ours-lobby-pglite --steps 400   (profiles land in bench/results/profiles)
//   npm run bench -- --heap-prof --only ours-play-postgresql --steps 500   (a sampling heap profile of what was
//     promoted, and the server's --trace-gc-nvp lines, in bench/results/profiles; bench/heapProfileSummary.ts sums both;
//     with --heap-live the profile keeps only what is still alive when the activity ends)
// PostgreSQL targets need BENCH_DATABASE_URL (a database of its own: each step deletes every session).
// Each step runs a fresh server pinned to core 0 (taskset) and the load workers pinned to core 1.
// Results: a table on the console, bench/results/capacity-<mode>.json (merged with an earlier file of
// the same mode, so a full run can be made in several `--only` parts), and a chart (SVG, and PNG
// when Chromium is installed). Timings on shared machines are noisy: read medians and ratios.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pinToCore } from './loadtest/runLoad.ts';
import { benchTargets, type BenchTarget } from './harness/benchTargets.ts';
import { measureRest } from './harness/measureRest.ts';
import { held, measureStep, saturated } from './harness/measureStep.ts';
import { benchChartSvg } from './report/benchChart.ts';
import type { BenchResults, StepOutcome, TargetResults } from './report/BenchResults.ts';
import { formatBenchTable } from './report/formatBenchTable.ts';
import { svgToPng } from './report/svgToPng.ts';
import { projectRoot } from '../src/projectRoot.ts';

const SERVER_CORE = 0;
const LOAD_CORE = 1;
const SERVER_PORT = 2720;
const PLAYERS_PER_ROOM = 8;
const MODES = {
  full: {
    steps: [100, 500, 1000, 2000, 4000],
    actingSeconds: 15,
    settleSeconds: 3,
    restSeconds: 8,
    restDatabases: ['pglite', 'postgresql'],
    quickTargets: undefined,
  },
  quick: {
    steps: [200],
    actingSeconds: 5,
    settleSeconds: 1,
    restSeconds: 2,
    restDatabases: ['pglite'],
    quickTargets: ['ours-lobby-pglite', 'ours-lobby-postgresql', 'ws-lobby', 'socketio-lobby', 'ours-play-pglite', 'ws-play', 'socketio-play'],
  },
};
/** In the quick mode the play targets take a smaller step. */
const QUICK_PLAY_STEPS = [100];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    steps: { type: 'string' },
    'no-rest': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    'heap-prof': { type: 'boolean', default: false },
    'heap-live': { type: 'boolean', default: false },
  },
});
const mode = values.quick ? 'quick' : 'full';
const settings = MODES[mode];
const databaseUrl = process.env.BENCH_DATABASE_URL;
const resultsDir = join(projectRoot, 'bench', 'results');
const profilesDir = join(resultsDir, 'profiles');
mkdirSync(resultsDir, { recursive: true });
const nodeFlags = [
  ...(values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profilesDir}`] : []),
  ...(values['heap-prof'] ? ['--trace-gc', '--trace-gc-nvp'] : []),
];
if (values['heap-prof']) mkdirSync(profilesDir, { recursive: true });

let targets = benchTargets(databaseUrl);
if (settings.quickTargets) targets = targets.filter((target) => settings.quickTargets.includes(target.name));
const only = values.only?.split(',');
if (only) {
  const wanted = only.filter((name) => name !== 'rest');
  const unknown = wanted.filter((name) => !benchTargets(databaseUrl).some((target) => target.name === name));
  if (unknown.length)
    throw new Error(
      `unknown target(s) ${unknown.join(', ')}; known: ${benchTargets(databaseUrl)
        .map((target) => target.name)
        .join(', ')}`,
    );
  targets = benchTargets(databaseUrl).filter((target) => wanted.includes(target.name));
}
const stepsFor = (target: BenchTarget) =>
  values.steps ? values.steps.split(',').map(Number) : mode === 'quick' && target.workload === 'play' ? QUICK_PLAY_STEPS : settings.steps;

// This process runs autocannon and forks the load workers: all of it on the load core.
pinToCore(process.pid, LOAD_CORE);
const machine = {
  cpus: cpus().length,
  model: cpus()[0]?.model ?? 'unknown',
  node: process.version,
  note: `${cpus().length} cores (${cpus()[0]?.model ?? '?'}); server pinned to core ${SERVER_CORE}, load generator to core ${LOAD_CORE}; Node ${process.version}`,
};
console.log(`${mode} run: ${machine.note}`);
if (!databaseUrl) console.log('BENCH_DATABASE_URL is not set: the PostgreSQL targets are left out.');

// A profiled run is slower: its figures are kept apart from the real ones.
const profiled = values['cpu-prof'] ? '-cpuprof' : values['heap-prof'] ? '-heapprof' : '';
const outFile = join(resultsDir, `capacity-${mode}${profiled}.json`);
const earlier: BenchResults | undefined =
  existsSync(outFile) && (values.only || values.steps) ? (JSON.parse(readFileSync(outFile, 'utf8')) as BenchResults) : undefined;
const results: BenchResults = { mode, startedAt: new Date().toISOString(), machine, targets: { ...earlier?.targets }, rest: { ...earlier?.rest } };

for (const target of targets) {
  const entry: TargetResults = {
    name: target.name,
    server: target.server,
    workload: target.workload,
    database: target.database,
    patchMinIntervalMs: target.patchMinIntervalMs,
    steps: [],
    heldClients: 0,
  };
  results.targets[target.name] = entry;
  for (const clients of stepsFor(target)) {
    console.log(`${target.name}: ${clients} clients …`);
    let outcome: StepOutcome;
    try {
      outcome = await measureStep(target, {
        clients,
        playersPerRoom: PLAYERS_PER_ROOM,
        actingSeconds: settings.actingSeconds,
        settleSeconds: settings.settleSeconds,
        serverPort: SERVER_PORT,
        serverCore: SERVER_CORE,
        loadCore: LOAD_CORE,
        loadWorkers: 2,
        nodeFlags,
        heapProfileFile: values['heap-prof'] ? join(profilesDir, `${target.name}-${clients}.heapprofile`) : undefined,
        heapProfileLiveOnly: values['heap-live'],
        onProgress: (line) => process.stdout.write(`\r  ${line}`.padEnd(90)),
      });
      process.stdout.write('\n');
    } catch (error) {
      outcome = { clients, error: (error as Error).message };
      console.log(`\n  failed: ${outcome.error.split('\n')[0]}`);
    }
    entry.steps.push(outcome);
    if ('error' in outcome) break;
    if (held(outcome)) entry.heldClients = clients;
    if (saturated(outcome)) {
      entry.skippedAfter = clients;
      break;
    }
  }
  writeFileSync(outFile, JSON.stringify(results, null, 2));
}

if (only ? only.includes('rest') : !values['no-rest']) {
  for (const database of settings.restDatabases) {
    const target = benchTargets(databaseUrl).find(
      (candidate) => candidate.server === 'ours' && candidate.workload === 'lobby' && candidate.database === database,
    );
    if (!target) continue;
    console.log(`REST on ${database} …`);
    const { server, stop } = await target.start(SERVER_PORT, SERVER_CORE, nodeFlags);
    try {
      results.rest[database] = await measureRest(server, settings.restSeconds);
    } finally {
      await stop();
    }
  }
}

writeFileSync(outFile, JSON.stringify(results, null, 2));
console.log(`\n${formatBenchTable(results)}`);
const svg = benchChartSvg(results);
const chartFile = outFile.replace(/\.json$/, '.svg');
writeFileSync(chartFile, svg);
const png = chartFile.replace(/\.svg$/, '.png');
const drewPng = await svgToPng(svg, png);
console.log(`\nwritten: ${outFile}, ${chartFile}${drewPng ? `, ${png}` : ' (no PNG: Chromium is not installed)'}`);
console.log(`server on core ${SERVER_CORE}, load on core ${LOAD_CORE} (taskset); "generator CPU" is the load workers' own share of their core.`);
