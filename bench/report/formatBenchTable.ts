import { lostClients } from '../harness/measureStep.ts';
import { isMeasured, type BenchResults } from './BenchResults.ts';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)}`;
const ms = (value: number) => (value < 10 ? value.toFixed(1) : value.toFixed(0));
/** Older results files lack some figures: shown as "–". */
const percent = (value: number | undefined) => (value === undefined ? '–' : `${value.toFixed(0)}%`);
const codes = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([code, count]) => `${code}×${count}`)
    .join(' ');

const HEADER = [
  'target',
  'clients',
  'join p50',
  'join p99',
  'change p50',
  'p99',
  'max',
  'lost',
  'changes/s',
  'deliveries/s',
  'B/s/client',
  'server CPU',
  'core 0 busy',
  'PG CPU',
  'µs CPU/delivery',
  'RSS KB/client',
  'heap KB/client',
  'heap KB/room',
  'generator CPU',
  'core 1 busy',
  'loop delay p99 server / generator',
];

/** The console table: one row per target and step, then the REST figures. */
export function formatBenchTable(results: BenchResults): string {
  const rows: string[][] = [HEADER];
  for (const target of Object.values(results.targets)) {
    for (const step of target.steps) {
      if (!isMeasured(step)) {
        rows.push([target.name, String(step.clients), `failed: ${step.error.split('\n')[0]!.slice(0, 120)}`]);
        continue;
      }
      const lost = lostClients(step);
      rows.push([
        target.name,
        String(step.clients),
        ms(step.join.p50),
        ms(step.join.p99),
        ms(step.change.p50),
        ms(step.change.p99),
        ms(step.change.max),
        lost === 0
          ? '0'
          : `${lost} (${[step.joinsFailed && `join ${step.joinsFailed}`, step.drops && `drops ${step.drops}`, codes(step.closes)].filter(Boolean).join(', ')})`,
        step.changesPerSecond.toFixed(0),
        step.deliveriesPerSecond.toFixed(0),
        step.bytesPerClientPerSecond === undefined ? '–' : step.bytesPerClientPerSecond.toFixed(0),
        `${step.server.corePercent.toFixed(0)}%`,
        percent(step.server.coreBusyPercent),
        percent(step.databaseCorePercent),
        step.server.cpuMicrosPerDelivery.toFixed(1),
        kb(step.server.rssPerClientBytes),
        kb(step.server.heapPerClientBytes),
        kb(step.server.heapPerRoomBytes),
        `${step.generator.corePercent.toFixed(0)}%`,
        percent(step.generator.coreBusyPercent),
        step.server.loopDelay && step.generator.loopDelay ? `${ms(step.server.loopDelay.p99)} / ${ms(step.generator.loopDelay.p99)}` : '–',
      ]);
    }
    const skipped = target.skippedAfter ? `; larger steps skipped: saturated at ${target.skippedAfter}` : '';
    rows.push([`  ${target.name}: most clients held (p99 < 100 ms, none lost): ${target.heldClients || 'none'}${skipped}`]);
  }
  const widths = HEADER.map((_, column) => Math.max(...rows.filter((row) => row.length > 3).map((row) => (row[column] ?? '').length)));
  const lines = rows.map((row) =>
    row.length <= 3 ? row.join('  ') : row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '),
  );

  for (const [database, routes] of Object.entries(results.rest)) {
    lines.push('', `REST on ${database} (autocannon; the hello-world is GET /health in the same process):`);
    for (const route of routes) {
      lines.push(
        `  ${route.name.padEnd(42)} ${route.requestsPerSecond.toFixed(0).padStart(7)} req/s  p50 ${ms(route.p50).padStart(5)} ms  p99 ${ms(route.p99).padStart(5)} ms  ${(route.ratioToHelloWorld * 100).toFixed(0).padStart(4)}% of hello-world${route.failures ? `  ${route.failures} failed` : ''}`,
      );
    }
  }
  return lines.join('\n');
}
