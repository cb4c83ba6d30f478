// Sums a sampling heap profile written by `npm run bench -- --heap-prof` (what was live at its end or
// freed by a major collection: includeObjectsCollectedByMajorGC), and the server's `--trace-gc-nvp`
// lines of the same activity (the `.log` beside it):
//   node bench/heapProfileSummary.ts bench/results/profiles/ours-play-postgresql-500.heapprofile [top=20]
// A major collection also frees the young generation's garbage of the moment, which the profile
// counts with what was promoted: read its shares as "allocated, and promoted or caught by a major
// collection"; the bytes really promoted are the collections' own figure, at the end.
import { existsSync, readFileSync } from 'node:fs';
import { ACTING_ENDS, ACTING_STARTS } from './harness/measureStep.ts';

type ProfileNode = { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: ProfileNode[] };

const [file, topArgument] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/heapProfileSummary.ts PROFILE.heapprofile [top]');
const top = Number(topArgument ?? 20);
const { head } = JSON.parse(readFileSync(file, 'utf8')) as { head: ProfileNode };

const where = ({ functionName, url, lineNumber }: ProfileNode['callFrame']) =>
  `${functionName || '(anonymous)'}  ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|rooms|bench)\//, '$1/')}:${lineNumber + 1}`;
const packageOf = (url: string) =>
  !url ? '(native)' : (/node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.startsWith('node:') ? 'node core' : 'this project'));
const isOurs = (url: string) => url.startsWith('file://') && !url.includes('node_modules');

// Self size by package and function; inclusive size by our own functions (what they and their callees allocated).
const bySelf = new Map<string, number>();
const byPackage = new Map<string, number>();
const byOurs = new Map<string, number>();
const add = (map: Map<string, number>, key: string, bytes: number) => map.set(key, (map.get(key) ?? 0) + bytes);
function walk(node: ProfileNode, ours: Set<string>): number {
  const key = where(node.callFrame);
  const inner = isOurs(node.callFrame.url) && !ours.has(key) ? new Set([...ours, key]) : ours;
  let total = node.selfSize;
  for (const child of node.children) total += walk(child, inner);
  add(bySelf, key, node.selfSize);
  add(byPackage, packageOf(node.callFrame.url), node.selfSize);
  if (inner !== ours) add(byOurs, key, total);
  return total;
}
const total = walk(head, new Set());

const show = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [key, bytes] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((bytes / total) * 100).toFixed(1).padStart(6)}%  ${key}`);
};
console.log(`${file}: ${(total / 2 ** 20).toFixed(1)} MB sampled (live at the end, or freed by a major collection)`);
show('by package (self)', byPackage);
show('by function (self)', bySelf);
show("this project's functions (inclusive: with what they called)", byOurs);

// The collections during the activity, from the server's `--trace-gc-nvp` lines: every collection
// with its pause and the bytes it promoted to the old generation (what outlived the young one). A
// major collection is counted whatever started it (incremental marking finalized, or a full one),
// with the marking steps it took between tasks before its final pause.
const log = `${file}.log`;
if (existsSync(log)) {
  const text = readFileSync(log, 'utf8');
  const from = text.indexOf(ACTING_STARTS);
  const to = text.indexOf(ACTING_ENDS);
  const lines = text.slice(Math.max(0, from), to < 0 ? undefined : to).split('\n');
  const names: Record<string, string> = { s: 'scavenge', ms: 'minor mark-sweep', mc: 'mark-compact' };
  const kinds = new Map<string, { count: number; pauseMs: number; maxMs: number; markingMs: number; promoted: number }>();
  for (const line of lines) {
    const json = /GC: (\{.*\})\s*$/.exec(line)?.[1];
    if (!json) continue;
    const gc = JSON.parse(json) as { gc: string; pause: number; promoted?: number; incremental?: number; reason?: string };
    // Taken by the profiler itself when it stops: not the server's.
    if (gc.reason === 'sampling profiler') continue;
    const name = names[gc.gc] ?? gc.gc;
    const kind = kinds.get(name) ?? { count: 0, pauseMs: 0, maxMs: 0, markingMs: 0, promoted: 0 };
    kind.count += 1;
    kind.pauseMs += gc.pause;
    kind.maxMs = Math.max(kind.maxMs, gc.pause);
    kind.markingMs += gc.incremental ?? 0;
    // Only scavenges' `promoted`: a major collection empties the young generation, and its figure is not comparable.
    if (gc.gc !== 'mc') kind.promoted += gc.promoted ?? 0;
    kinds.set(name, kind);
  }
  console.log(`\ncollections during the activity (${log}${from < 0 ? ': no start mark, the whole run' : ''})`);
  if (kinds.size === 0) console.log('  none found: the server ran without --trace-gc-nvp?');
  for (const [kind, { count, pauseMs, maxMs, markingMs, promoted }] of kinds) {
    const marking = kind === 'mark-compact' ? `, plus ${markingMs.toFixed(0)} ms of incremental marking steps` : '';
    const moved = kind === 'mark-compact' ? '' : `, ${(promoted / 2 ** 20).toFixed(1)} MB promoted`;
    console.log(
      `  ${kind.padEnd(16)} ${String(count).padStart(5)}  pauses ${pauseMs.toFixed(0).padStart(6)} ms in all, ${maxMs.toFixed(1)} ms at most${marking}${moved}`,
    );
  }
}
