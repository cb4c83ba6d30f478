// PM2: `npm run build && pm2 start ecosystem.config.js` (docs/operations.md). This package is ESM;
// PM2 loads this file with require(), which on Node >= 20.19 returns this module's named exports,
// so `apps` is what PM2 reads.
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

// How many processes: INSTANCES from the environment of `pm2 start`, one per CPU by default. More
// than one needs REDIS_URL, DATABASE_URL (PostgreSQL) and PUBLIC_ADDRESS; the server refuses to
// start otherwise and says so (the embedded PGlite database serves a single process: INSTANCES=1).
const instances = process.env.INSTANCES ?? String(cpus().length);
if (!/^[1-9]\d*$/.test(instances)) {
  throw new Error(`INSTANCES must be a whole number of processes (1 or more), not "${instances}"`);
}

// With a process on every core (the default), V8's background garbage-collection threads have no
// core to themselves: they run beside a server's main thread, its own or another process's, and
// take turns with it. Measured with a server pinned to one core (docs/benchmarks.md, "Patches on
// change"), a major collection's concurrent marking took the core from the event loop for 60-110 ms
// at a time; with the collector on the main thread (`--single-threaded-gc`), which marks in small
// steps between tasks, the loop's longest delay fell from 73-99 ms to 24-29 ms for the same CPU.
// With fewer processes than cores the background threads have idle cores: the default stays.
const nodeArgs = Number(instances) >= cpus().length ? ['--single-threaded-gc'] : [];

// The Node that npm installed with the project (package.json optionalDependencies), the one every
// npm script runs on, rather than PM2's own (the machine's, maybe older). On a platform npm brings no
// Node for, PM2's own runs the server (it must then be a Node >= 22.18).
const projectNode = fileURLToPath(new URL('node_modules/.bin/node', import.meta.url));

export const apps = [
  {
    name: 'labyrinth',
    // What `npm run build` produces.
    script: 'dist/src/index.js',
    interpreter: existsSync(projectNode) ? projectNode : 'node',
    node_args: nodeArgs,
    // Colyseus does not support PM2's cluster mode: every process listens on its own port,
    // PORT + NODE_APP_INSTANCE (2567, 2568, ...), and Redis ties them together.
    exec_mode: 'fork',
    instances: Number(instances),
    env: { NODE_ENV: 'production' },
    // The server sends 'ready' once it accepts connections (database migrated, content loaded).
    wait_ready: true,
    listen_timeout: 30_000,
    // On stop/restart PM2 sends SIGINT: rooms close (clients get 4001, seats stay in the database)
    // and the database closes, within SHUTDOWN_TIMEOUT_SECONDS (15 s by default). PM2 kills the
    // process only after kill_timeout, which must stay above that.
    kill_timeout: 20_000,
    // A process above this is restarted, gracefully like any restart.
    max_memory_restart: '1G',
  },
];
