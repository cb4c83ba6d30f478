import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/projectRoot.ts';
import { killServerProcesses, startServerProcess } from '../support/serverProcess.ts';

// The README: real environment variables win over environment files. A machine-wide
// /etc/environment (which @colyseus/tools loads with override at import) must not replace what the
// operator gave the server process. Tried on a real server process (`node src/index.ts`) with a fake
// /etc/environment preloaded by tests/support/fakeEtcEnvironment.ts.

const PORT = 2568;
const OPERATOR_PASSWORD = 'password-from-the-environment';
const FILE_PASSWORD = 'password-from-etc-environment';

describe('environment files', function () {
  this.timeout(60_000);
  let scratch: string;

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'labyrinth-environment-'));
  });
  after(async () => {
    await killServerProcesses();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("a machine-wide /etc/environment does not override the server process's own variables", async () => {
    const etcEnvironment = join(scratch, 'etc-environment');
    writeFileSync(etcEnvironment, `ADMIN_PASSWORD=${FILE_PASSWORD}\n`);
    const server = await startServerProcess(PORT, {
      ...databaseEnvironment(scratch),
      ADMIN_PASSWORD: OPERATOR_PASSWORD,
      FAKE_ETC_ENVIRONMENT: etcEnvironment,
      NODE_OPTIONS: `--import ${join(projectRoot, 'tests', 'support', 'fakeEtcEnvironment.ts')}`,
    });

    const deleteAll = (password: string) =>
      fetch(`${server.url}/api/sessions`, { method: 'DELETE', headers: { authorization: `Bearer ${password}` } });
    assert.equal((await deleteAll(OPERATOR_PASSWORD)).status, 200, server.output());
    assert.equal((await deleteAll(FILE_PASSWORD)).status, 401);
  });
});

/** The PostgreSQL of this test pass, or a PGlite folder of the process's own. */
function databaseEnvironment(scratch: string): Record<string, string> {
  if (process.env.TEST_DATABASE === 'postgresql' && process.env.TEST_DATABASE_URL) {
    return { DATABASE_URL: process.env.TEST_DATABASE_URL };
  }
  return { DATA_DIR: join(scratch, 'pglite') };
}
