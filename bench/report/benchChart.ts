// The benchmark's chart as an SVG document: change p99 and server CPU against clients, for the
// lobby and the play workload, ours beside the baselines. Written by hand: four panels of lines
// need no charting library, and the SVG stays readable in a diff.
import type { StepResult } from '../harness/measureStep.ts';
import { isMeasured, type BenchResults } from './BenchResults.ts';

const PANEL = { width: 460, height: 300, left: 64, right: 16, top: 36, bottom: 44 };
const COLOURS: Record<string, string> = { ours: '#1f6feb', ws: '#2da44e', socketio: '#bf3989' };
/** Ours varies by database and patch spacing: told apart by the dash of the line. */
const DASHES = ['', '7 4', '2 3', '10 3 2 3'];

type Series = { name: string; colour: string; dash: string; points: { x: number; y: number }[] };
type Axis = { min: number; max: number; log: boolean; ticks: number[]; label: string };

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function scale(axis: Axis, value: number, from: number, to: number): number {
  const at = (v: number) => (axis.log ? Math.log10(Math.max(v, axis.min)) : v);
  return from + ((at(value) - at(axis.min)) / (at(axis.max) - at(axis.min))) * (to - from);
}

function panel(title: string, series: Series[], x: Axis, y: Axis, offsetX: number, offsetY: number): string {
  const left = offsetX + PANEL.left;
  const right = offsetX + PANEL.width - PANEL.right;
  const top = offsetY + PANEL.top;
  const bottom = offsetY + PANEL.height - PANEL.bottom;
  const px = (value: number) => scale(x, value, left, right);
  const py = (value: number) => scale(y, Math.min(value, y.max), bottom, top);
  const parts = [`<text x="${left}" y="${offsetY + 22}" font-size="14" font-weight="bold">${escape(title)}</text>`];
  for (const tick of y.ticks) {
    parts.push(`<line x1="${left}" x2="${right}" y1="${py(tick)}" y2="${py(tick)}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 6}" y="${py(tick) + 4}" font-size="11" text-anchor="end">${tick}</text>`);
  }
  for (const tick of x.ticks) {
    parts.push(`<line x1="${px(tick)}" x2="${px(tick)}" y1="${top}" y2="${bottom}" stroke="#eee"/>`);
    parts.push(`<text x="${px(tick)}" y="${bottom + 16}" font-size="11" text-anchor="middle">${tick}</text>`);
  }
  parts.push(`<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#888"/>`);
  parts.push(`<text x="${(left + right) / 2}" y="${bottom + 34}" font-size="12" text-anchor="middle">${escape(x.label)}</text>`);
  parts.push(
    `<text x="${offsetX + 14}" y="${(top + bottom) / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 ${offsetX + 14} ${(top + bottom) / 2})">${escape(y.label)}</text>`,
  );
  for (const line of series) {
    const points = line.points.map((point) => `${px(point.x).toFixed(1)},${py(point.y).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${line.colour}" stroke-width="2" stroke-dasharray="${line.dash}"/>`);
    for (const point of line.points) parts.push(`<circle cx="${px(point.x).toFixed(1)}" cy="${py(point.y).toFixed(1)}" r="3" fill="${line.colour}"/>`);
  }
  return parts.join('\n');
}

/** The chart of a benchmark run, as a standalone SVG document. */
export function benchChartSvg(results: BenchResults): string {
  const targets = Object.values(results.targets);
  const clientTicks = [...new Set(targets.flatMap((target) => target.steps.map((step) => step.clients)))].sort((a, b) => a - b);
  const x: Axis = { min: clientTicks[0] ?? 100, max: clientTicks.at(-1) ?? 4000, log: true, ticks: clientTicks, label: 'clients (rooms of 8)' };
  const latency: Axis = { min: 1, max: 10_000, log: true, ticks: [1, 10, 100, 1000, 10_000], label: 'change → others, p99 (ms)' };
  const cpu: Axis = { min: 0, max: 100, log: false, ticks: [0, 25, 50, 75, 100], label: 'server CPU (% of its core)' };
  const dashOf = new Map<string, string>();
  const seriesOf = (workload: string, value: (step: StepResult) => number): Series[] =>
    targets
      .filter((target) => target.workload === workload)
      .map((target) => {
        // The same dash for the same set-up in both workloads (e.g. ours on PostgreSQL).
        const setUp = target.name.replace(`-${workload}`, '');
        const sameServer = [...dashOf.keys()].filter((name) => name.startsWith(target.server)).length;
        if (!dashOf.has(setUp)) dashOf.set(setUp, DASHES[sameServer % DASHES.length]!);
        const measured = target.steps.filter(isMeasured).filter((step) => step.change.count > 0);
        return {
          name: target.name,
          colour: COLOURS[target.server]!,
          dash: dashOf.get(setUp)!,
          points: measured.map((step) => ({ x: step.clients, y: value(step) })),
        };
      });
  const lobbyLatency = seriesOf('lobby', (step) => step.change.p99);
  const lobbyCpu = seriesOf('lobby', (step) => step.server.corePercent);
  const playLatency = seriesOf('play', (step) => step.change.p99);
  const playCpu = seriesOf('play', (step) => step.server.corePercent);

  const legend = [...lobbyLatency, ...playLatency].map((line, index) => {
    const y = 2 * PANEL.height + 20 + Math.floor(index / 3) * 18;
    const x = 20 + (index % 3) * 300;
    return `<line x1="${x}" x2="${x + 30}" y1="${y}" y2="${y}" stroke="${line.colour}" stroke-width="2" stroke-dasharray="${line.dash}"/><text x="${x + 36}" y="${y + 4}" font-size="12">${escape(line.name)}</text>`;
  });
  const width = 2 * PANEL.width;
  const height = 2 * PANEL.height + 30 + Math.ceil(legend.length / 3) * 18;
  const caption = `${results.machine.note}; ${results.mode} run of ${results.startedAt}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 20}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    panel('Lobby: readiness toggles, change p99', lobbyLatency, x, latency, 0, 0),
    panel('Lobby: server CPU', lobbyCpu, x, cpu, PANEL.width, 0),
    panel('Play: moves, change p99', playLatency, x, latency, 0, PANEL.height),
    panel('Play: server CPU', playCpu, x, cpu, PANEL.width, PANEL.height),
    ...legend,
    `<text x="20" y="${height + 12}" font-size="11" fill="#555">${escape(caption)}</text>`,
    '</svg>',
  ].join('\n');
}
