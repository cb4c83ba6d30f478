import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { databaseEnvironment, killServerProcesses, startServerProcess } from '../support/serverProcess.ts';
import { TEST_PORT } from '../support/testServer.ts';

// HOST: where the server process listens. Linux answers all of 127.0.0.0/8 on loopback, so a
// server bound to 127.0.0.1 alone is told apart from one on every interface by asking 127.0.0.2.

const PORT = TEST_PORT;

/** Whether something answers HTTP at `host`:PORT (a refused connection is `false`). */
async function answers(host: string): Promise<boolean> {
  try {
    return (await fetch(`http://${host}:${PORT}/health`)).status === 200;
  } catch {
    return false;
  }
}

describe('the address the server listens on (HOST)', function () {
  this.timeout(60_000);
  afterEach(async () => {
    await killServerProcesses();
  });

  it('in development, by default, only on 127.0.0.1: the playground and a generated password stay off the network', async () => {
    await startServerProcess(PORT, { ...databaseEnvironment(), NODE_ENV: 'development' });
    assert.equal(await answers('127.0.0.1'), true);
    assert.equal(await answers('127.0.0.2'), false);
  });

  it('otherwise, by default, on every interface', async () => {
    await startServerProcess(PORT, { ...databaseEnvironment(), NODE_ENV: 'production' });
    assert.equal(await answers('127.0.0.2'), true);
  });

  it('on HOST when set, checking that port of that address only, and saying so in its summary', async () => {
    // Another program holds the port on 127.0.0.1: no matter to a server on 127.0.0.2.
    const other = createServer().listen(PORT, '127.0.0.1');
    await once(other, 'listening');
    try {
      const server = await startServerProcess(PORT, { ...databaseEnvironment(), HOST: '127.0.0.2', LOG_LEVEL: 'info' });
      assert.equal(await answers('127.0.0.2'), true);
      assert.match(server.output(), new RegExp(`labyrinth server listening on http://127\\.0\\.0\\.2:${PORT}`));
    } finally {
      other.close();
    }
  });
});
