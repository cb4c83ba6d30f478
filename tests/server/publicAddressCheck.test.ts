import assert from 'node:assert/strict';
import { LOOKUP_TIMEOUT_MS, publicAddressProblem } from '../../src/cluster/publicAddressCheck.ts';
import { databaseEnvironment, httpTo, killServerProcesses, startServerProcess } from '../support/serverProcess.ts';
import { waitFor } from '../support/waitFor.ts';
import { TEST_PORT } from '../support/testServer.ts';
import { labyrinthClient } from '../support/labyrinthClient.ts';

// docs/operations.md: the server warns at start when its PUBLIC_ADDRESS cannot be what clients
// reach, and starts anyway.

const PORT = TEST_PORT;

describe('the PUBLIC_ADDRESS check at start', function () {
  this.timeout(60_000);
  afterEach(() => killServerProcesses());

  it('logs one warning naming an address that does not resolve, and serves anyway', async () => {
    // `.invalid` never resolves (RFC 2606).
    const server = await startServerProcess(PORT, { ...databaseEnvironment(), PUBLIC_ADDRESS: 'game.invalid/{port}' });
    const line = await waitFor(
      () => warningsAbout(server.output())[0],
      () => `the PUBLIC_ADDRESS warning in:\n${server.output()}`,
      LOOKUP_TIMEOUT_MS + 3000,
    );
    assert.equal(line.level, 40);
    assert.equal(line.publicAddress, `game.invalid/${PORT}`);
    assert.match(line.msg, new RegExp(`^PUBLIC_ADDRESS game\\.invalid/${PORT} may not be where clients reach this process: game\\.invalid does not resolve`));

    // Still serving.
    const created = await httpTo(server, 'POST', '/api/sessions', { size: 6 });
    assert.equal(created.status, 201);
    assert.equal((await fetch(`${server.url}/ready`)).status, 200);
    assert.equal(warningsAbout(server.output()).length, 1, 'one warning, not one per request');
  });

  it('stays silent about an address clients can reach', async () => {
    const server = await startServerProcess(PORT, { ...databaseEnvironment(), PUBLIC_ADDRESS: '127.0.0.1:{port}' });
    const sessionId = (await httpTo(server, 'POST', '/api/sessions', { size: 6 })).body.id;
    // A join goes through PUBLIC_ADDRESS: the proof that this one is right.
    const room = await labyrinthClient(server.url).joinOrCreate('labyrinth', { sessionId, clientId: 'alice' });
    await room.leave();
    await new Promise((resolve) => setTimeout(resolve, LOOKUP_TIMEOUT_MS));
    assert.deepEqual(warningsAbout(server.output()), []);
  });

  it('names the unspecified address and a loopback port other than its own', async () => {
    assert.match((await publicAddressProblem('0.0.0.0:2567', 2567))!, /0\.0\.0\.0 is the unspecified address/);
    assert.equal(await publicAddressProblem('127.0.0.1:2569', 2567), 'it names port 2569 on loopback but this process listens on 2567 (use {port})');
    assert.match((await publicAddressProblem('localhost:2569', 2567))!, /names port 2569 on loopback/);
    assert.match((await publicAddressProblem('game.invalid', 2567))!, /^game\.invalid does not resolve \(\w+\)$/);
    // A proxy on this machine may route by path, or listen on a port of its own for one process.
    assert.equal(await publicAddressProblem('127.0.0.1:8080/2567', 2567), undefined);
    assert.equal(await publicAddressProblem('127.0.0.1:2567', 2567), undefined);
    assert.equal(await publicAddressProblem('localhost', 2567), undefined);
  });
});

/** A pino JSON line, with what these tests read of it. */
type LogLine = { level: number; msg: string; publicAddress?: string };

function warningsAbout(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine)
    .filter((line) => String(line.msg).startsWith('PUBLIC_ADDRESS'));
}
