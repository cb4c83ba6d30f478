// Sums a sampling heap profile written by `npm run bench -- --heap-prof` (objects that lived long
// enough to be promoted: includeObjectsCollectedByMajorGC), and the server's `--trace-gc` lines of
// the same activity (the `.log` beside it):
//   node bench/heapProfileSummary.ts bench/results/profiles/ours-play-postgresql-500.heapprofile [top=20]
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
console.log(`${file}: ${(total / 2 ** 20).toFixed(1)} MB sampled (promoted, live or since collected)`);
show('by package (self)', byPackage);
show('by function (self)', bySelf);
show("this project's functions (inclusive: with what they called)", byOurs);

// The collections during the activity, from the server's --trace-gc lines.
const log = `${file}.log`;
if (existsSync(log)) {
  const text = readFileSync(log, 'utf8');
  const from = text.indexOf(ACTING_STARTS);
  const to = text.indexOf(ACTING_ENDS);
  const lines = text.slice(Math.max(0, from), to < 0 ? undefined : to).split('\n');
  const kinds = new Map<string, { count: number; pauseMs: number; maxMs: number }>();
  for (const line of lines) {
    const gc = /: (Scavenge|Minor Mark-Sweep|Mark-Compact(?: \(reduce\))?)\b.*?([\d.]+) \/ [\d.]+ ms/.exec(line);
    if (!gc) continue;
    const kind = kinds.get(gc[1]!) ?? { count: 0, pauseMs: 0, maxMs: 0 };
    kind.count += 1;
    kind.pauseMs += Number(gc[2]);
    kind.maxMs = Math.max(kind.maxMs, Number(gc[2]));
    kinds.set(gc[1]!, kind);
  }
  console.log(`\ncollections during the activity (${log}${from < 0 ? ': no start mark, the whole run' : ''})`);
  for (const [kind, { count, pauseMs, maxMs }] of kinds) {
    console.log(`  ${kind.padEnd(22)} ${String(count).padStart(5)}  pauses ${pauseMs.toFixed(0).padStart(6)} ms in all, ${maxMs.toFixed(1)} ms at most`);
  }
}
