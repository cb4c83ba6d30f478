// CPU time as Linux accounts it, read from /proc: of one process, of every process with a given
// command name (PostgreSQL's backends), and of a whole core (whoever ran on it).
import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/** Kernel clock ticks per second, the unit of /proc's CPU times. */
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/**
 * The command name, user + system CPU seconds of a process, and those of its children that have
 * exited (which the kernel adds to the parent as they are reaped), or undefined if it is gone.
 */
function processCpu(pid: number | string): { command: string; seconds: number; exitedChildrenSeconds: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may hold spaces; utime, stime, cutime and cstime are the 14th to 17th fields.
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  return {
    command: stat.slice(stat.indexOf('(') + 1, close),
    seconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS,
    exitedChildrenSeconds: (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS,
  };
}

export function processCpuSeconds(pid: number): number {
  return processCpu(pid)?.seconds ?? 0;
}

/**
 * CPU seconds of every process named `command` (e.g. `postgres`: the server and its backends),
 * those that have exited included: a backend that ends moves its time to the postmaster's exited
 * children, so the total only grows (summing live processes alone went negative over a step).
 */
export function commandCpuSeconds(command: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cpu = processCpu(entry);
    if (cpu?.command === command) total += cpu.seconds + cpu.exitedChildrenSeconds;
  }
  return total;
}

/** Seconds core `core` was busy (anything but idle and iowait), from /proc/stat. */
export function coreBusySeconds(core: number): number {
  const line = readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .find((candidate) => candidate.startsWith(`cpu${core} `));
  if (!line) throw new Error(`no cpu${core} in /proc/stat`);
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) / CLOCK_TICKS;
}
