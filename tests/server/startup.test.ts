import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/projectRoot.ts';
import { databaseEnvironment, killServerProcesses, startServerProcess, stopServerProcess, type ServerProcess } from '../support/serverProcess.ts';
import { TEST_PORT } from '../support/testServer.ts';
import type { UntypedJson } from '../support/httpClient.ts';

// What an operator sees when starting the real server process (`node src/index.ts`).

const PORT = TEST_PORT;

describe('starting the server process', function () {
  this.timeout(60_000);
  let scratch: string;

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'labyrinth-startup-'));
  });
  afterEach(async () => {
    await killServerProcesses();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('says where to go in one block, with a generated admin password that works', async () => {
    const server = await startServerProcess(PORT, { ...databaseEnvironment(), ADMIN_PASSWORD: '', LOG_LEVEL: 'info' });
    const summary = logLines(server).find((line) => String(line.msg).startsWith('labyrinth server listening'));
    assert.ok(summary, server.output());
    assert.equal(summary.msg, `labyrinth server listening on http://localhost:${PORT}`);
    assert.equal(summary.demo, `http://localhost:${PORT}/`);
    assert.equal(summary.apiDocs, `http://localhost:${PORT}/docs`);
    assert.equal(summary.monitor, `http://localhost:${PORT}/monitor`);
    assert.equal(summary.adminUser, 'admin');
    assert.equal(typeof summary.generatedAdminPassword, 'string');
    assert.equal((await deleteAllSessions(server, summary.generatedAdminPassword)).status, 200);
  });

  it('says once that it creates the embedded database, on a first start in a folder', async function () {
    if (process.env.TEST_DATABASE === 'postgresql') this.skip();
    const server = await startServerProcess(PORT, { DATA_DIR: join(scratch, 'data'), LOG_LEVEL: 'info' });
    const creating = logLines(server).filter((line) => String(line.msg).startsWith('creating the embedded'));
    assert.deepEqual(
      creating.map((line) => line.msg),
      ['creating the embedded PGlite database (first start in this folder only: a few seconds)'],
      server.output(),
    );
  });

  it('still logs a generated admin password when LOG_LEVEL=warn hides that block', async () => {
    const server = await startServerProcess(PORT, { ...databaseEnvironment(), ADMIN_PASSWORD: '', LOG_LEVEL: 'warn' });
    const lines = logLines(server);
    assert.equal(
      lines.find((line) => String(line.msg).startsWith('labyrinth server listening')),
      undefined,
    );
    const warning = lines.find((line) => line.generatedAdminPassword !== undefined);
    assert.ok(warning, server.output());
    assert.equal((await deleteAllSessions(server, warning.generatedAdminPassword)).status, 200);
  });

  it('serves under node --watch, as `npm run dev` runs it, and stops on SIGTERM', async () => {
    const server = await startServerProcess(PORT, databaseEnvironment(), ['--watch']);
    try {
      assert.equal((await fetch(`${server.url}/ready`)).status, 200);
    } finally {
      // The watcher passes SIGTERM to the server it runs (a SIGKILL would leave that one running).
      assert.equal((await stopServerProcess(server, 'SIGTERM', 20_000)).code, 0, server.output());
    }
  });

  // docs/configuration.md: real environment variables win over environment files. @colyseus/tools, when
  // imported, loads /etc/environment with override; a fake one is preloaded here
  // (tests/support/fakeEtcEnvironment.ts) instead of writing to /etc.
  it("a machine-wide /etc/environment does not override the process's own variables", async () => {
    const etcEnvironment = join(scratch, 'etc-environment');
    writeFileSync(etcEnvironment, 'ADMIN_PASSWORD=password-from-etc-environment\n');
    const server = await startServerProcess(PORT, {
      ...databaseEnvironment(),
      ADMIN_PASSWORD: 'password-from-the-environment',
      FAKE_ETC_ENVIRONMENT: etcEnvironment,
      NODE_OPTIONS: `--import ${join(projectRoot, 'tests', 'support', 'fakeEtcEnvironment.ts')}`,
    });
    assert.equal((await deleteAllSessions(server, 'password-from-the-environment')).status, 200, server.output());
    assert.equal((await deleteAllSessions(server, 'password-from-etc-environment')).status, 401);
  });
});

/** The process's JSON log lines (its output is not a terminal, so logs are JSON). */
function logLines(server: ServerProcess): Record<string, UntypedJson>[] {
  return server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, UntypedJson>);
}

/** An admin-only request. */
function deleteAllSessions(server: ServerProcess, password: string): Promise<Response> {
  return fetch(`${server.url}/api/sessions`, { method: 'DELETE', headers: { authorization: `Bearer ${password}` } });
}
