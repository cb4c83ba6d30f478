// What each test process of a parallel run has to itself, so that several test files can run at once
// (tests/run.ts runs a pass's files in mocha's parallel mode, one worker process per job): a block of
// ports for the servers it starts, and its own PostgreSQL database. A process that is no parallel
// worker (a serial run, the cluster pass) is worker 0: port 2568 and the database as given.

/** Ports per worker: a test server on the first, the server processes some tests start on the next ones. */
const PORTS_PER_WORKER = 100;
const FIRST_PORT = 2568;

/** This process's worker number: mocha numbers the processes of a parallel run (MOCHA_WORKER_ID). */
export function workerNumber(env: NodeJS.ProcessEnv = process.env): number {
  return Number(env.MOCHA_WORKER_ID ?? 0);
}

/** The first port of a worker's block. */
export function workerPort(worker: number): number {
  return FIRST_PORT + worker * PORTS_PER_WORKER;
}

/** Worker 0 uses the database in `url`; worker n its twin `<name>_w<n>` on the same server (tests/run.ts creates them). */
export function workerDatabaseUrl(url: string, worker: number): string {
  if (worker === 0) return url;
  const parsed = new URL(url);
  parsed.pathname = `${parsed.pathname}_w${worker}`;
  return parsed.toString();
}
