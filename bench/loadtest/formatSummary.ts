import type { CountsByCode } from './LoadCounters.ts';
import type { LoadProgress, LoadResult } from './runLoad.ts';

const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
const byCode = (counts: CountsByCode) =>
  Object.entries(counts)
    .map(([code, count]) => `${code}×${count}`)
    .join(' ') || 'none';

/** The live line printed each second. */
export function formatProgress(progress: LoadProgress): string {
  const { errors } = progress;
  return [
    `${String(progress.seconds).padStart(4)}s ${progress.phase.padEnd(7)}`,
    `clients ${progress.connected}`,
    `msgs/s out ${progress.sentPerSecond} in ${progress.receivedPerSecond}`,
    `change p50 ${ms(progress.changeP50)} p99 ${ms(progress.changeP99)}`,
    `errors: join ${errors.joinFailures} refused ${errors.refusals} closed ${errors.closes} drops ${errors.drops} unseen ${errors.undelivered}`,
    `generator ${progress.generatorCorePercent.toFixed(0)}% cpu`,
  ].join(' | ');
}

/** The table printed at the end of a run. */
export function formatSummary(result: LoadResult): string {
  const { totals, options } = result;
  const rows: [string, string][] = [
    ['server', `${options.url} (${options.transport})`],
    [
      'workload',
      `${options.workload}: ${options.rooms} rooms × ${options.players} players, one action per ${options.intervalMs} ms, ${result.actingSeconds.toFixed(1)} s`,
    ],
    [
      'joins',
      `${totals.joinsOk} ok, ${totals.joinsFailed} failed (${byCode(totals.joinFailures)}); join p50 ${ms(totals.joinLatency.p50)} p99 ${ms(totals.joinLatency.p99)}`,
    ],
    ['connected at the end', String(result.connected)],
    ['changes sent', `${totals.changesSent} (${result.rates.changesPerSecond.toFixed(0)}/s), ${totals.changesCancelled} refused by the server`],
    [
      'change → every other client',
      `p50 ${ms(totals.changeLatency.p50)} p99 ${ms(totals.changeLatency.p99)} max ${ms(totals.changeLatency.max)} over ${totals.deliveries} (change, observer) pairs`,
    ],
    ['never seen (15 s)', `${totals.undelivered} (change, observer) pairs`],
    ['out of sight or overtaken', `${totals.unseenStates} (change, observer) pairs (not deliveries: with fog "player" the observer could not see the change)`],
    ['refusals by code', byCode(totals.refusals)],
    ['closes by code', `${byCode(totals.closes)} (server-initiated; the bots' own leaves at the end are not counted)`],
    ['drops / reconnects', `${totals.drops} / ${totals.reconnects}`],
    ['messages', `out ${result.rates.messagesSentPerSecond.toFixed(0)}/s, in ${result.rates.messagesReceivedPerSecond.toFixed(0)}/s`],
    [
      'bytes in per client',
      result.rates.bytesPerClientPerSecond > 0 ? `${result.rates.bytesPerClientPerSecond.toFixed(0)} B/s` : 'not counted on this transport',
    ],
    ['rounds finished, chat lines', `${totals.roundsFinished}, ${totals.chatLines}`],
    [
      'generator CPU',
      `${result.generator.corePercent.toFixed(0)}% of one core (${result.generator.cpuSeconds.toFixed(1)} s; busiest worker ${result.generator.busiestWorkerCorePercent.toFixed(0)}%)`,
    ],
    [
      'generator loop delay',
      `p50 ${ms(result.generator.loopDelay.p50)} p99 ${ms(result.generator.loopDelay.p99)} max ${ms(result.generator.loopDelay.max)} (its busiest worker: part of every latency above)`,
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}
