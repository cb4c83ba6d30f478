// What the server's long event-loop turns are made of, from a CPU profile written by
// `npm run bench -- --cpu-prof …` (bench/results/profiles/*.cpuprofile):
//   node bench/longTasks.ts PROFILE.cpuprofile [--min-ms 20] [--from 40 --to 55] [--top 15]
// A long task is a run of consecutive samples that are not idle, lasting at least --min-ms. For each
// one it prints when it started (seconds into the profile), how long it lasted, how much of that the
// sampler did not run at all (a gap between two samples longer than GAP_MS: the process was not on
// its core, e.g. PostgreSQL ran there), and what it consisted of; then the sums over all of them.
// --from/--to keep the tasks that start inside that window (the per-second timeline at the top shows
// where the acting phase is: the 15 s of steady load).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type Profile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

/** A longer pause between two samples than this (the sampling interval is 1 ms) means the process was not running. */
const GAP_MS = 4;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'min-ms': { type: 'string', default: '20' }, from: { type: 'string' }, to: { type: 'string' }, top: { type: 'string', default: '15' } },
});
const file = positionals[0];
if (!file) throw new Error('usage: node bench/longTasks.ts PROFILE.cpuprofile [--min-ms 20] [--from s --to s] [--top n]');
const minMs = Number(values['min-ms']);
const top = Number(values.top);
const from = values.from === undefined ? -Infinity : Number(values.from);
const to = values.to === undefined ? Infinity : Number(values.to);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const where = ({ functionName, url, lineNumber }: CallFrame) =>
  url
    ? `${functionName || '(anonymous)'}  ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|rooms|bench)\//, '$1/')}:${lineNumber + 1}`
    : functionName;
/** The sample's stack, innermost first, each function once. */
const stackCache = new Map<number, string[]>();
function stackOf(id: number): string[] {
  let stack = stackCache.get(id);
  if (stack) return stack;
  const names: string[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const name = where(byId.get(at)!.callFrame);
    if (name !== '(root)' && !names.includes(name)) names.push(name);
  }
  stack = names;
  stackCache.set(id, stack);
  return stack;
}
const isIdle = (id: number) => byId.get(id)!.callFrame.functionName === '(idle)';

// Sample i was taken at times[i]; it stands for the time until the next sample (or GAP_MS at most:
// a longer pause is time the process did not run, counted apart).
const times: number[] = [];
let now = profile.startTime;
for (const delta of profile.timeDeltas) times.push((now += delta));
const count = profile.samples.length;
const spanUs = (i: number) => (i + 1 < count ? times[i + 1]! - times[i]! : 1000);

// A timeline: busy share of each second, to find the acting phase.
const seconds = Math.ceil((profile.endTime - profile.startTime) / 1e6);
const busyPerSecond = new Array<number>(seconds).fill(0);
for (let i = 0; i < count; i++) {
  if (isIdle(profile.samples[i]!)) continue;
  const second = Math.floor((times[i]! - profile.startTime) / 1e6);
  if (second >= 0 && second < seconds) busyPerSecond[second]! += Math.min(spanUs(i), GAP_MS * 1000) / 1e4;
}
console.log(`${file}: ${Math.floor((profile.endTime - profile.startTime) / 1e6)} s; busy % per second:`);
console.log(busyPerSecond.map((percent, second) => `${second}:${percent.toFixed(0)}`).join(' '));

type Task = { startS: number; ms: number; gapMs: number; self: Map<string, number>; inclusive: Map<string, number> };
const tasks: Task[] = [];
const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
for (let i = 0; i < count;) {
  if (isIdle(profile.samples[i]!)) {
    i++;
    continue;
  }
  let end = i;
  while (end < count && !isIdle(profile.samples[end]!)) end++;
  const startS = (times[i]! - profile.startTime) / 1e6;
  let us = 0;
  let gapUs = 0;
  for (let j = i; j < end; j++) {
    const span = spanUs(j);
    us += span;
    if (span > GAP_MS * 1000) gapUs += span - 1000;
  }
  if (us >= minMs * 1000 && startS >= from && startS < to) {
    const task: Task = { startS, ms: us / 1000, gapMs: gapUs / 1000, self: new Map(), inclusive: new Map() };
    for (let j = i; j < end; j++) {
      // A gap's time is not the function's: it was not running.
      const span = spanUs(j) > GAP_MS * 1000 ? 1000 : spanUs(j);
      const stack = stackOf(profile.samples[j]!);
      add(task.self, stack[0]!, span);
      for (const name of stack) add(task.inclusive, name, span);
    }
    tasks.push(task);
  }
  i = end;
}

const show = (title: string, map: Map<string, number>, totalUs: number, n: number, indent = '') => {
  console.log(`${indent}${title}`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`${indent}${(us / 1000).toFixed(1).padStart(8)} ms ${((us / totalUs) * 100).toFixed(0).padStart(4)}%  ${key}`);
};
const sampledUs = (task: Task) => [...task.self.values()].reduce((a, b) => a + b, 0);
for (const task of tasks) {
  console.log(`\n@ ${task.startS.toFixed(3)} s: ${task.ms.toFixed(1)} ms (not running: ${task.gapMs.toFixed(1)} ms)`);
  show('self:', task.self, sampledUs(task), 6, '  ');
  show('inclusive:', task.inclusive, sampledUs(task), top, '  ');
}
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const task of tasks) {
  for (const [key, us] of task.self) add(self, key, us);
  for (const [key, us] of task.inclusive) add(inclusive, key, us);
}
const totalMs = tasks.reduce((sum, task) => sum + task.ms, 0);
const gapMs = tasks.reduce((sum, task) => sum + task.gapMs, 0);
console.log(`\n${tasks.length} tasks of ${minMs} ms or more: ${totalMs.toFixed(0)} ms in all, ${gapMs.toFixed(0)} ms of it not running`);
const sampledTotal = [...self.values()].reduce((a, b) => a + b, 0);
show('self, all long tasks:', self, sampledTotal, top * 2);
show('inclusive, all long tasks:', inclusive, sampledTotal, top * 3);
