import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/projectRoot.ts';

const run = promisify(execFile);

/** The PM2 the project pins (a devDependency), never a global one. */
const PM2_BIN = join(projectRoot, 'node_modules', '.bin', 'pm2');
/** One PM2 command; `start` and `reload` wait for every instance's `ready` (listen_timeout 30 s). */
const COMMAND_TIMEOUT_MS = 45_000;

/** A PM2 of this test's own: its daemon, logs and process list in a temporary PM2_HOME. */
export class Pm2 {
  readonly home = mkdtempSync(join(tmpdir(), 'labyrinth-pm2-'));

  /** Runs `pm2 <args>` in the project folder with `env` on top of this process's environment. */
  async command(args: string[], env: Record<string, string> = {}): Promise<string> {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, PM2_HOME: this.home };
    // Set by PM2 inside its processes; inherited here they would shift ports or instance counts.
    delete childEnv.NODE_APP_INSTANCE;
    delete childEnv.instances;
    // The Node running this test (the project's) also runs the PM2 CLI and its daemon.
    const { stdout } = await run(process.execPath, [PM2_BIN, ...args], { cwd: projectRoot, env: childEnv, timeout: COMMAND_TIMEOUT_MS });
    return stdout;
  }

  /** The pid of each instance of `name`, by NODE_APP_INSTANCE. */
  async pids(name: string): Promise<number[]> {
    const list = JSON.parse(await this.command(['jlist'])) as { name: string; pid: number; pm2_env: { NODE_APP_INSTANCE: number } }[];
    return list
      .filter((entry) => entry.name === name)
      .sort((a, b) => a.pm2_env.NODE_APP_INSTANCE - b.pm2_env.NODE_APP_INSTANCE)
      .map((entry) => entry.pid);
  }

  /** Stops the daemon and every process it runs, and removes PM2_HOME (after the test, whatever happened). */
  async kill(): Promise<void> {
    try {
      await this.command(['kill']);
    } finally {
      rmSync(this.home, { recursive: true, force: true });
    }
  }
}
