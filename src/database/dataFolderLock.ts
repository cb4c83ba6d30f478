import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { StartupFailure } from '../startupFailure.ts';

/** The file in a data folder that names the process holding it. */
export const LOCK_FILE_NAME = 'labyrinth.lock';

/** What the lock file records about its holder: enough to tell whether it still runs, and to name it. */
export type LockHolder = {
  pid: number;
  host: string;
  /** When it took the folder (ISO 8601). */
  since: string;
  /** What it runs, e.g. `index.ts` or `resetDatabase.ts --yes`. */
  command: string;
  /** Its start time in the kernel's clock ticks since boot (/proc/<pid>/stat), where there is a /proc: tells a reused pid apart. */
  processStart?: string;
};

/** The folders this process holds, each with the text of its lock file. */
const held = new Map<string, string>();

/**
 * Claims the data folder `dataDir` (created if missing) for this process, or fails with one line
 * naming the process that holds it. PGlite keeps the whole database of a folder in the memory of
 * the one process that opened it: a second process on the same folder writes over the first one's
 * data. So the server, `npm run db:reset` and the MikroORM CLI each claim the folder before they
 * open it.
 *
 * The claim is a lock file created atomically (a hard link of a complete file: a reader never sees
 * it half-written). The holder removes it when it closes the database or exits; one that was killed
 * (kill -9, a power cut) leaves it behind, and the next claimant sees that its pid no longer runs, or
 * runs another program that was given the same pid (its start time differs), and takes the folder.
 * Within one process, claiming a folder again is a no-op: openDatabase shares one database per folder.
 */
export function lockDataFolder(dataDir: string): void {
  const folder = resolve(dataDir);
  if (held.has(folder)) return;
  const lockFile = join(folder, LOCK_FILE_NAME);
  const mine = JSON.stringify(thisProcess());
  try {
    mkdirSync(folder, { recursive: true });
    // A few rounds: a holder may release, or another claimant remove a stale file, between two steps.
    for (let round = 0; round < 3; round += 1) {
      if (createExclusively(lockFile, mine)) {
        held.set(folder, mine);
        return;
      }
      const found = readIfPresent(lockFile);
      if (found === undefined) continue;
      const holder = parseHolder(found);
      // Empty or garbled: a crash before the file reached the disk. Its holder cannot be running.
      if (holder && !isGone(holder)) throw new StartupFailure(inUseMessage(folder, holder));
      removeStale(lockFile, found);
    }
  } catch (error) {
    if (error instanceof StartupFailure) throw error;
    const code = (error as { code?: string }).code ?? String(error);
    throw new StartupFailure(`DATA_DIR ${folder} cannot be used by this process (${code}): give it a folder it may write to`, { cause: error });
  }
  throw new StartupFailure(`DATA_DIR ${folder}: other processes keep claiming it at the same time; start one process per folder`);
}

/** Gives the folder up (when its database is closed); a no-op when this process does not hold it. */
export function unlockDataFolder(dataDir: string): void {
  const folder = resolve(dataDir);
  const mine = held.get(folder);
  if (mine === undefined) return;
  held.delete(folder);
  const lockFile = join(folder, LOCK_FILE_NAME);
  // Only our own file: never one another process took after judging ours stale.
  if (readIfPresent(lockFile) === mine) unlinkSync(lockFile);
}

// Whatever way the process ends (process.exit on a fatal error, the end of a CLI command), the
// folders it still holds are released; only a killed process leaves its file, judged stale later.
process.on('exit', () => {
  for (const folder of [...held.keys()]) {
    try {
      unlockDataFolder(folder);
    } catch {
      // The folder went away or became read-only: nothing left to release.
    }
  }
});

function thisProcess(): LockHolder {
  const processStart = processStartOf(process.pid);
  const [, script = 'node', ...args] = process.argv;
  return {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    command: [basename(script), ...args].join(' '),
    ...(processStart !== undefined && { processStart }),
  };
}

/** Creates `lockFile` holding `text` unless it exists: a complete file, linked into place in one step. */
function createExclusively(lockFile: string, text: string): boolean {
  const draft = `${lockFile}.${process.pid}.draft`;
  writeFileSync(draft, text);
  try {
    linkSync(draft, lockFile);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(draft);
  }
}

function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(text) as Partial<LockHolder>;
    return Number.isInteger(holder.pid) && typeof holder.host === 'string' ? (holder as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the recorded holder certainly no longer runs. Only a process on this host can be checked;
 * one on another host (a folder shared over the network, another container) counts as running.
 */
function isGone(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  // Not this process (it would be in `held`): an earlier process that had the same pid, e.g. the
  // server as pid 1 of a container that was restarted.
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as { code?: string }).code === 'ESRCH';
  }
  const start = processStartOf(holder.pid);
  return holder.processStart !== undefined && start !== undefined && start !== holder.processStart;
}

/**
 * Removes a lock file judged stale, unless another claimant replaced it meanwhile: the file is
 * first moved aside (one claimant wins the move) and put back if it is no longer the one judged.
 */
function removeStale(lockFile: string, staleText: string): void {
  const aside = `${lockFile}.${process.pid}.stale`;
  try {
    renameSync(lockFile, aside);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return;
    throw error;
  }
  if (readFileSync(aside, 'utf8') !== staleText) {
    try {
      linkSync(aside, lockFile);
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
  }
  unlinkSync(aside);
}

/** Field 22 of /proc/<pid>/stat (after the command name, which may hold spaces and parentheses). */
function processStartOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function inUseMessage(folder: string, holder: LockHolder): string {
  const where = holder.host === hostname() ? 'on this host' : `on host ${holder.host}`;
  const stale =
    holder.host === hostname()
      ? `; if pid ${holder.pid} is not a labyrinth process, delete ${join(folder, LOCK_FILE_NAME)}`
      : `; if nothing on ${holder.host} uses it any more, delete ${join(folder, LOCK_FILE_NAME)}`;
  return (
    `DATA_DIR ${folder} is in use by another process: pid ${holder.pid} ${where} (${holder.command}, since ${holder.since}). ` +
    `Stop that process, or give this one another DATA_DIR${stale}`
  );
}
