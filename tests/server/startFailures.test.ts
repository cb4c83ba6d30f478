import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCK_FILE_NAME } from '../../src/database/dataFolderLock.ts';
import { httpTo, killServerProcesses, runToExit, startServerProcess, stopServerProcess } from '../support/serverProcess.ts';
import { TEST_PORT } from '../support/testServer.ts';
import type { UntypedJson } from '../support/httpClient.ts';

// What an operator sees when a start cannot succeed: one line naming what to fix, a non-zero exit,
// nothing half-started. Real server processes (`node src/index.ts`), and the tools beside them.

const PORT = TEST_PORT;
const OTHER_PORT = TEST_PORT + 1;
const MIKRO_ORM_CLI = 'node_modules/@mikro-orm/cli/cli.js';
const onPostgresPass = process.env.TEST_DATABASE === 'postgresql';

describe('start failures', function () {
  this.timeout(60_000);
  let scratch: string;

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'labyrinth-start-failures-'));
  });
  afterEach(async () => {
    await killServerProcesses();
    rmSync(scratch, { recursive: true, force: true });
  });

  // The embedded database's folder, whichever database the pass tests: these run once, on PGlite.
  describe('a data folder is used by one process at a time', function () {
    // A folder whose database is created once (initdb takes seconds), copied for each test.
    let template: string;
    let dataDir: string;
    before(async function () {
      if (onPostgresPass) this.skip();
      template = mkdtempSync(join(tmpdir(), 'labyrinth-data-template-'));
      await stopServerProcess(await startServerProcess(PORT, { DATA_DIR: template }), 'SIGTERM', 20_000);
    });
    beforeEach(() => {
      dataDir = join(scratch, 'data');
      cpSync(template, dataDir, { recursive: true });
    });
    after(() => {
      if (template) rmSync(template, { recursive: true, force: true });
    });

    it('refuses a second server on the same DATA_DIR, naming the first, which keeps serving', async () => {
      const first = await startServerProcess(PORT, { DATA_DIR: dataDir });
      const second = await runToExit(['src/index.ts'], { DATA_DIR: dataDir, PORT: String(OTHER_PORT), LOG_LEVEL: 'info' });
      assert.equal(second.code, 1, second.output);
      const line = theOneLine(second.output);
      assert.match(line.msg, new RegExp(`^DATA_DIR ${dataDir} is in use by another process: pid ${first.pid} on this host \\(index\\.ts, since `));
      assert.equal((await httpTo(first, 'POST', '/api/sessions', { size: 5, seed: 'still-serving' })).status, 201);
      assert.equal((await httpTo(first, 'GET', '/ready')).status, 200);
    });

    it('lets a new server take the folder after its holder was killed with kill -9', async () => {
      const killed = await startServerProcess(PORT, { DATA_DIR: dataDir });
      process.kill(killed.pid, 'SIGKILL');
      await killed.exited;
      assert.ok(existsSync(join(dataDir, LOCK_FILE_NAME)), 'a killed server leaves its lock file');
      const next = await startServerProcess(PORT, { DATA_DIR: dataDir });
      assert.equal((await httpTo(next, 'GET', '/ready')).status, 200);
    });

    it('takes over a lock file whose pid now runs another program (a reused pid)', async function () {
      // Tells the program apart by its start time in /proc (Linux).
      if (!existsSync('/proc/self/stat')) this.skip();
      const server = await startServerProcess(PORT, { DATA_DIR: dataDir });
      process.kill(server.pid, 'SIGKILL');
      await server.exited;
      // This test process runs, but it is not the one that took the folder: it started at another time.
      const reused = { pid: process.pid, host: hostname(), since: new Date().toISOString(), command: 'index.ts', processStart: '1' };
      writeFileSync(join(dataDir, LOCK_FILE_NAME), JSON.stringify(reused));
      const next = await startServerProcess(PORT, { DATA_DIR: dataDir });
      assert.equal(JSON.parse(readFileSync(join(dataDir, LOCK_FILE_NAME), 'utf8')).pid, next.pid);
    });

    it('refuses `npm run db:reset` and the MikroORM CLI while a server holds the folder', async () => {
      const server = await startServerProcess(PORT, { DATA_DIR: dataDir });
      const created = await httpTo(server, 'POST', '/api/sessions', { size: 5, seed: 'not-reset' });
      assert.equal(created.status, 201);

      const reset = await runToExit(['src/database/resetDatabase.ts', '--yes'], { DATA_DIR: dataDir });
      assert.equal(reset.code, 1, reset.output);
      assert.match(theOneLine(reset.output).msg, new RegExp(`^DATA_DIR ${dataDir} is in use by another process: pid ${server.pid} `));

      const cli = await runToExit([MIKRO_ORM_CLI, 'migration:check'], { DATA_DIR: dataDir });
      assert.equal(cli.code, 1, cli.output);
      assert.match(cli.output.trim(), new RegExp(`^mikro-orm: DATA_DIR ${dataDir} is in use by another process: pid ${server.pid} [^\\n]*$`));

      assert.equal((await httpTo(server, 'GET', `/api/sessions/${created.body.id}`)).status, 200);
    });
  });

  describe('what the operator set wrong, in one line', function () {
    before(function () {
      if (onPostgresPass) this.skip();
    });

    it('a busy port: named, found before the database is opened', async () => {
      const dataDir = join(scratch, 'data');
      const busy = await listen(PORT);
      try {
        const start = await runToExit(['src/index.ts'], { DATA_DIR: dataDir, PORT: String(PORT), LOG_LEVEL: 'info' });
        assert.equal(start.code, 1, start.output);
        assert.equal(theOneLine(start.output).msg, `port ${PORT} is already in use by another process: stop it, or set PORT to a free port`);
        assert.ok(!existsSync(join(dataDir, 'PG_VERSION')), 'the embedded database was not created');
      } finally {
        busy.close();
      }
    });

    it('an unreachable DATABASE_URL: its host:port named, no password, no "connected"', async () => {
      const port = await closedPort();
      const start = await runToExit(['src/index.ts'], {
        DATABASE_URL: `postgresql://labyrinth:pg-secret@127.0.0.1:${port}/labyrinth`,
        PORT: String(PORT),
        LOG_LEVEL: 'info',
      });
      assert.equal(start.code, 1, start.output);
      assert.equal(
        theOneLine(start.output).msg,
        `cannot reach PostgreSQL at 127.0.0.1:${port} (ECONNREFUSED): check DATABASE_URL, and that PostgreSQL runs and accepts connections there`,
      );
      assert.doesNotMatch(start.output, /pg-secret/);
    });

    it('an unreachable REDIS_URL: named before the database is tried', async () => {
      const [redisPort, postgresPort] = [await closedPort(), await closedPort()];
      const start = await runToExit(['src/index.ts'], {
        REDIS_URL: `redis://:redis-secret@127.0.0.1:${redisPort}`,
        DATABASE_URL: `postgresql://labyrinth@127.0.0.1:${postgresPort}/labyrinth`,
        PUBLIC_ADDRESS: `127.0.0.1:${PORT}`,
        PORT: String(PORT),
        LOG_LEVEL: 'info',
      });
      assert.equal(start.code, 1, start.output);
      assert.equal(
        theOneLine(start.output).msg,
        `cannot reach Redis at redis://:***@127.0.0.1:${redisPort} (connect ECONNREFUSED 127.0.0.1:${redisPort}): check REDIS_URL, and that Redis runs there`,
      );
    });

    it('shows the stack only with LOG_LEVEL=debug', async () => {
      const start = await runToExit(['src/index.ts'], {
        DATABASE_URL: `postgresql://labyrinth@127.0.0.1:${await closedPort()}/labyrinth`,
        PORT: String(PORT),
        LOG_LEVEL: 'debug',
      });
      assert.equal(start.code, 1, start.output);
      const fatal = logLines(start.output).find((line) => line.level === 60);
      assert.match(fatal?.err?.stack ?? '', /^StartupFailure: cannot reach PostgreSQL[^]*\n {4}at /, start.output);
    });
  });

  // A real PostgreSQL (CI's): a user it does not know, a database it does not have.
  describe('what PostgreSQL refuses, in one line', function () {
    before(function () {
      if (!onPostgresPass) this.skip();
    });

    it('a user PostgreSQL does not know', async () => {
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.username = 'no_such_labyrinth_user';
      url.password = 'pg-secret';
      const start = await runToExit(['src/index.ts'], { DATABASE_URL: url.toString(), PORT: String(PORT), LOG_LEVEL: 'info' });
      assert.equal(start.code, 1, start.output);
      assert.match(
        theOneLine(start.output).msg,
        new RegExp(`^PostgreSQL at ${url.host} refused user "no_such_labyrinth_user" \\(.+\\): check the user and password in DATABASE_URL$`),
      );
      assert.doesNotMatch(start.output, /pg-secret/);
    });

    it('a database that does not exist: named, with how to create it (and not created)', async () => {
      const url = new URL(process.env.TEST_DATABASE_URL!);
      const missing = `no_such_labyrinth_database_${process.pid}`;
      url.pathname = `/${missing}`;
      // Twice: had the first start created the database, the second would not find it missing.
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const start = await runToExit(['src/index.ts'], { DATABASE_URL: url.toString(), PORT: String(PORT), LOG_LEVEL: 'info' });
        assert.equal(start.code, 1, start.output);
        const line = theOneLine(start.output).msg;
        assert.match(
          line,
          new RegExp(`^database "${missing}" does not exist on PostgreSQL at ${url.host} \\(DATABASE_URL\\): create it, e\\.g\\. \`createdb `),
        );
        assert.ok(line.includes(`CREATE DATABASE "${missing}"`), line);
      }
    });
  });
});

/** The process wrote exactly one line, a fatal JSON log line without a stack: returns it. */
function theOneLine(output: string): Record<string, UntypedJson> {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  assert.equal(lines.length, 1, `expected one line:\n${output}`);
  const [line] = logLines(output);
  assert.equal(line?.level, 60, output);
  assert.equal(line.err, undefined, output);
  return line;
}

function logLines(output: string): Record<string, UntypedJson>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, UntypedJson>);
}

async function listen(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, resolve));
  return server;
}

/** A port nothing listens on (one the system just gave out and took back). */
async function closedPort(): Promise<number> {
  const server = await listen(0);
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
