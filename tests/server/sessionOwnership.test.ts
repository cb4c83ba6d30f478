import assert from 'node:assert/strict';
import type { Room } from '@colyseus/sdk';
import { SESSION_MOVED_CLOSE_CODE } from '../../rooms/closeCodes.ts';
import { claimSession, releaseSession, renewLease, type ClaimResult } from '../../src/sessions/ownershipStatements.ts';
import { openDatabase } from '../../src/database/openDatabase.ts';
import { createLogger } from '../../src/logger.ts';
import { SessionService } from '../../src/sessions/SessionService.ts';
import { CuttableProxy } from '../support/cuttableProxy.ts';
import { request } from '../support/httpClient.ts';
import { resetTestDatabase, roomTestServer, testDatabase } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';
import { whoami } from '../support/labyrinthClient.ts';

// Who owns a session (src/ownership/SessionOwnership.ts), on the real test database: the rules of a
// claim, a renewal and a release (src/sessions/ownershipStatements.ts), then a room of the test
// server whose session another process takes. The cluster cases (a partition, a pause, a holder cut
// off from everything) are in tests/cluster/sessionOwnership.test.ts.

const LEASE_MS = 3000;

describe('session ownership', function () {
  this.timeout(30_000);

  describe('claims, renewals and releases', () => {
    let sessionId: string;
    const em = async () => (await testDatabase()).em.fork();
    const claim = async (processId: string, options: { retakeOwn?: boolean; requestHandover?: boolean } = {}): Promise<ClaimResult> =>
      claimSession(await em(), sessionId, processId, { retakeOwn: options.retakeOwn ?? true, requestHandover: options.requestHandover ?? false });
    const renew = async (processId: string, held: string[] = [sessionId]) =>
      renewLease(await em(), { id: processId, address: 'test', leaseMs: LEASE_MS }, held, LEASE_MS);
    /** Ends a process's lease as time would: its row says it ran out a moment ago. */
    const expire = async (processId: string) =>
      (await em()).getConnection().execute(`update "server_process" set "lease_until" = now() - interval '1 second' where "id" = ?`, [processId]);

    beforeEach(async () => {
      await resetTestDatabase();
      await (await em()).getConnection().execute('delete from "server_process"');
      sessionId = (await new SessionService(await testDatabase()).createSession({ size: 4 })).id;
    });

    it("takes a session nobody owns, and refuses it to another process while the owner's lease runs", async () => {
      await renew('process-a', []);
      assert.deepEqual(await claim('process-a'), { claimed: true, epoch: 1, from: 'nobody', previousOwner: null });
      assert.deepEqual(await claim('process-b'), { claimed: false, owner: 'process-a' });
      assert.deepEqual(await claim('process-b'), { claimed: false, owner: 'process-a' }, 'still, however often it asks');
    });

    it('takes it from an owner whose lease ran out, or who never had one, with the next epoch', async () => {
      await renew('process-a', []);
      await claim('process-a');
      await expire('process-a');
      assert.deepEqual(await claim('process-b'), { claimed: true, epoch: 2, from: 'expired', previousOwner: 'process-a' });
      // process-c never renewed a lease (its row is gone, or never was): it counts as gone.
      await (await em()).getConnection().execute(`update "game_session" set "owner_process" = 'process-c' where "id" = ?`, [sessionId]);
      assert.deepEqual(await claim('process-b'), { claimed: true, epoch: 3, from: 'expired', previousOwner: 'process-c' });
    });

    it("takes its own process's session back only when no room of that process holds it", async () => {
      await renew('process-a', []);
      await claim('process-a');
      assert.deepEqual(await claim('process-a', { retakeOwn: false }), { claimed: false, owner: 'process-a' });
      assert.deepEqual(await claim('process-a', { retakeOwn: true }), { claimed: true, epoch: 2, from: 'own', previousOwner: 'process-a' });
    });

    it('hands a released session to anyone at once, and tells a handover from a release', async () => {
      await renew('process-a', []);
      const first = await claim('process-a');
      assert.ok(first.claimed);
      await releaseSession(await em(), sessionId, { epoch: first.epoch, processId: 'process-a' }, false);
      await renew('process-b', []);
      const second = await claim('process-b');
      assert.deepEqual(second, { claimed: true, epoch: 2, from: 'released', previousOwner: null });

      assert.deepEqual(await claim('process-c', { requestHandover: true }), { claimed: false, owner: 'process-b' });
      assert.ok(second.claimed);
      await releaseSession(await em(), sessionId, { epoch: second.epoch, processId: 'process-b' }, true);
      assert.deepEqual(await claim('process-c'), { claimed: true, epoch: 3, from: 'handed_over', previousOwner: null });
    });

    it('releases only for the epoch and process that hold the session', async () => {
      await renew('process-a', []);
      await claim('process-a');
      await releaseSession(await em(), sessionId, { epoch: 7, processId: 'process-a' }, false);
      await releaseSession(await em(), sessionId, { epoch: 1, processId: 'process-b' }, false);
      assert.deepEqual(await claim('process-b'), { claimed: false, owner: 'process-a' });
    });

    it('tells a renewing owner which sessions were taken from it and which are wanted, and forgets a stale wish', async () => {
      await renew('process-a', []);
      await claim('process-a');
      assert.deepEqual(await renew('process-a'), [{ sessionId, epoch: 1, owner: 'process-a', handoverRequested: false }]);
      await claim('process-b', { requestHandover: true });
      assert.deepEqual(await renew('process-a'), [{ sessionId, epoch: 1, owner: 'process-a', handoverRequested: true }]);
      // Asked longer ago than a claim waits: whoever asked has given up.
      await (await em()).getConnection().execute(`update "game_session" set "handover_requested_at" = now() - interval '1 minute' where "id" = ?`, [sessionId]);
      assert.deepEqual(await renew('process-a'), [{ sessionId, epoch: 1, owner: 'process-a', handoverRequested: false }]);
      await expire('process-a');
      await claim('process-b');
      assert.deepEqual(await renew('process-a'), [{ sessionId, epoch: 2, owner: 'process-b', handoverRequested: false }]);
    });

    it("ends a transaction that idles with a session's row locked, as a paused process's would (PostgreSQL)", async function () {
      if (process.env.TEST_DATABASE !== 'postgresql') this.skip();
      // A pool of its own (a proxy gives it another address), opened the way the server opens its database.
      const target = new URL(process.env.TEST_DATABASE_URL!);
      const proxy = await CuttableProxy.start(target.hostname, Number(target.port || 5432));
      target.host = `127.0.0.1:${proxy.port}`;
      const paused = await openDatabase({ databaseUrl: target.toString(), dataDir: '', logger: createLogger('silent'), idleTransactionTimeoutMs: 300 });
      try {
        await renew('process-a', []);
        await claim('process-a');
        const held = paused.em.fork().transactional(async (em) => {
          await em.execute(`select 1 from "game_session" where "id" = ? for no key update`, [sessionId]);
          // The process pauses here, its transaction open and the row locked.
          await new Promise((resolve) => setTimeout(resolve, 1000));
          await em.execute('select 1');
        });
        await assert.rejects(held, 'PostgreSQL ended the idle transaction');
        await expire('process-a');
        assert.deepEqual(await claim('process-b'), { claimed: true, epoch: 2, from: 'expired', previousOwner: 'process-a' });
      } finally {
        await paused.close();
        await proxy.close();
      }
    });

    it('answers an unknown session with session_not_found', async () => {
      await (await em()).getConnection().execute('delete from "labyrinth"');
      await assert.rejects(claim('process-a'), { code: 'session_not_found' });
    });
  });

  describe('a room whose session another process takes', () => {
    const { sdk, openRooms } = roomTestServer();

    it('closes its clients with 4001 and writes nothing more; joining again seats them in a new room', async () => {
      const sessionId = (await request('POST', '/api/sessions', { json: { size: 4 } })).body.id as string;
      const alice = await sdk.joinOrCreate('labyrinth', { sessionId, clientId: 'owned-alice' });
      openRooms.push(alice);
      const token = (await whoami(alice)).clientToken;
      const closed = new Promise<number>((resolve) => alice.onLeave((code) => resolve(code)));
      const connection = (await testDatabase()).em.getConnection();
      // Another process takes the session, as if this server's lease had run out.
      await connection.execute(`update "server_process" set "lease_until" = now() - interval '1 second'`);
      const taken = await claimSession((await testDatabase()).em.fork(), sessionId, 'another-process', { retakeOwn: true, requestHandover: false });
      assert.ok(taken.claimed);
      alice.send('ready', { ready: true });
      assert.equal(await closed, SESSION_MOVED_CLOSE_CODE);
      const stored = await new SessionService(await testDatabase()).loadSnapshot(sessionId);
      assert.deepEqual(
        stored.players.map((player) => [player.clientId, player.ready]),
        [['owned-alice', false]],
        'the superseded room wrote nothing',
      );
      // The other process is gone (its lease never ran): the next join takes the session back, with alice's seat.
      const again: Room = await waitFor(
        () => sdk.joinOrCreate('labyrinth', { sessionId, clientId: 'owned-alice', clientToken: token }).catch(() => undefined),
        'alice to join again',
        10_000,
      );
      openRooms.push(again);
      await waitFor(() => again.state.players?.get('owned-alice'), "alice's seat in the new room");
    });
  });
});
