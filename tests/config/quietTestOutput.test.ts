import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/projectRoot.ts';

// Test files import @colyseus/testing, which imports @colyseus/tools, which loads /etc/environment
// with dotenv: dotenv announced it (`injected env (0) from ../../../etc/environment`) in every run
// until tests/run.ts set DOTENV_QUIET. An /etc/environment is faked (tests/support/fakeEtcEnvironment.ts)
// so that the check holds on machines without one.

describe('the test output', () => {
  it('has no line from dotenv when a test file imports @colyseus/testing', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'labyrinth-quiet-'));
    try {
      const etcEnvironment = join(scratch, 'etc-environment');
      writeFileSync(etcEnvironment, '');
      const result = spawnSync(
        process.execPath,
        ['--import', join(projectRoot, 'tests', 'support', 'fakeEtcEnvironment.ts'), '-e', "await import('@colyseus/testing')"],
        {
          cwd: projectRoot,
          env: { ...process.env, FAKE_ETC_ENVIRONMENT: etcEnvironment },
          encoding: 'utf8',
        },
      );
      assert.equal(result.status, 0, result.stderr);
      assert.doesNotMatch(`${result.stdout}${result.stderr}`, /injected env/);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
