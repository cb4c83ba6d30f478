// Who had a core while a process's main thread wanted it, from a Linux scheduler trace (as root):
//   perf record -k CLOCK_MONOTONIC -e sched:sched_switch -C 0 -o sched.data   (during `npm run bench …`; Ctrl-C after)
//   perf script -i sched.data -F comm,pid,tid,cpu,time,event,trace > sched.txt
//   node bench/coreShare.ts sched.txt PID [--cpu 0] [--min-ms 20] [--from s --to s]
// PID: the server's (the bench pins it to core 0; `pgrep -f src/index.ts` while it runs). Prints the
// core's time per second by kind (the process's main thread, its other threads, PostgreSQL, anything
// else, idle: the acting phase is where the main thread is steadily busy), the core's time by task
// over --from/--to (trace seconds), and the main thread's busy periods of --min-ms or more: from
// waking until it next sleeps, preemptions included, with what ran on the core meanwhile. Under load
// a busy period spans several event-loop turns (the loop goes on without sleeping); what it says is
// which other threads held the core while the main thread was runnable (V8's background GC or
// compiler threads, PostgreSQL's backends, other programs).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { cpu: { type: 'string', default: '0' }, 'min-ms': { type: 'string', default: '20' }, from: { type: 'string' }, to: { type: 'string' } },
});
const [file, pidArgument] = positionals;
if (!file || !pidArgument) throw new Error('usage: node bench/coreShare.ts sched.txt PID [--cpu 0] [--min-ms 20] [--from s --to s]');
const pid = Number(pidArgument);
const cpu = Number(values.cpu);
const minMs = Number(values['min-ms']);
const from = values.from === undefined ? -Infinity : Number(values.from);
const to = values.to === undefined ? Infinity : Number(values.to);

// `comm pid/tid [cpu] time: sched:sched_switch: prev_comm=… prev_pid=… prev_prio=… prev_state=… ==> next_comm=… next_pid=… next_prio=…`
const SWITCH =
  /^\s*.+?\s+(\d+)\/(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+sched:sched_switch:\s+prev_comm=.*? prev_pid=(\d+) prev_prio=\d+ prev_state=(\S+) ==> next_comm=(.*?) next_pid=(\d+)/;
type Switch = { at: number; prev: number; prevState: string; next: number; nextComm: string };
/** Each thread's process, from the lines where it was the one running. */
const processOf = new Map<number, number>();
const switches: Switch[] = [];
for (const line of readFileSync(file, 'utf8').split('\n')) {
  const match = SWITCH.exec(line);
  if (!match) continue;
  const [processId, threadId, onCpu, at, prev, prevState, nextComm, next] = match.slice(1) as [string, string, string, string, string, string, string, string];
  processOf.set(Number(threadId), Number(processId));
  if (Number(onCpu) === cpu) switches.push({ at: Number(at), prev: Number(prev), prevState, next: Number(next), nextComm });
}
if (switches.length === 0) throw new Error(`no sched_switch lines for cpu ${cpu} in ${file}`);

/** What a thread is, as this summary tells them apart. */
function kindOf(thread: number, comm: string): { kind: string; task: string } {
  if (thread === 0) return { kind: 'idle', task: 'idle' };
  if (thread === pid) return { kind: 'main thread', task: 'main thread' };
  if (processOf.get(thread) === pid) return { kind: 'its threads', task: `its ${comm}` };
  if (comm.startsWith('postgres')) return { kind: 'postgres', task: 'postgres' };
  return { kind: 'others', task: comm };
}
const add = (map: Map<string, number>, key: string, seconds: number) => map.set(key, (map.get(key) ?? 0) + seconds);
const ms = (seconds: number) => (seconds * 1000).toFixed(1);

const perSecond = new Map<number, Map<string, number>>();
const byTask = new Map<string, number>();
type Period = { start: number; length: number; tasks: Map<string, number> };
const periods: Period[] = [];
let busy: Omit<Period, 'length'> | undefined;
for (let i = 1; i < switches.length; i++) {
  const running = switches[i - 1]!;
  const switched = switches[i]!;
  const { at } = switched;
  const { kind, task } = kindOf(running.next, running.nextComm);
  const seconds = at - running.at;
  const second = Math.floor(running.at);
  if (!perSecond.has(second)) perSecond.set(second, new Map());
  add(perSecond.get(second)!, kind, seconds);
  if (running.at >= from && running.at < to) add(byTask, task, seconds);
  if (busy) add(busy.tasks, task, seconds);
  // The main thread went to sleep (not preempted: then it stays runnable, and busy).
  if (busy && switched.prev === pid && !switched.prevState.startsWith('R')) {
    const length = at - busy.start;
    if (length * 1000 >= minMs && busy.start >= from && busy.start < to) periods.push({ ...busy, length });
    busy = undefined;
  }
  if (!busy && switched.next === pid) busy = { start: at, tasks: new Map() };
}

const KINDS = ['main thread', 'its threads', 'postgres', 'others', 'idle'];
console.log(`core ${cpu}, ms per second: ${KINDS.join(' / ')}`);
for (const [second, kinds] of [...perSecond].sort((a, b) => a[0] - b[0]))
  console.log(`${second}  ${KINDS.map((kind) => (1000 * (kinds.get(kind) ?? 0)).toFixed(0).padStart(4)).join(' ')}`);

const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
console.log(`\ncore ${cpu} by task${values.from || values.to ? ` from ${from} to ${to}` : ''}, ms:`);
for (const [task, seconds] of sorted(byTask).slice(0, 15)) console.log(`${ms(seconds).padStart(9)}  ${task}`);

const total = periods.reduce((sum, period) => sum + period.length, 0);
console.log(`\nmain thread busy ${minMs} ms or more: ${periods.length} periods, ${ms(total)} ms in all`);
for (const period of periods)
  console.log(
    `@ ${period.start.toFixed(3)}  ${ms(period.length)} ms: ${sorted(period.tasks)
      .filter(([, seconds]) => seconds >= 0.0005)
      .map(([task, seconds]) => `${task} ${ms(seconds)}`)
      .join(', ')}`,
  );
const overall = new Map<string, number>();
for (const period of periods) for (const [task, seconds] of period.tasks) add(overall, task, seconds);
console.log('\nover those periods, ms:');
for (const [task, seconds] of sorted(overall).slice(0, 15)) console.log(`${ms(seconds).padStart(9)}  ${task}`);
