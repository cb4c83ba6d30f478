import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { matchMaker } from '@colyseus/core';
import type { LabyrinthRoom as ServerRoom } from '../../rooms/LabyrinthRoom.ts';
import { request } from '../support/httpClient.ts';
import type { LabyrinthRoom } from '../support/labyrinthClient.ts';
import { roomTestServer } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';

// A room patches after the event-loop turn that changed it, not on a clock (rooms/PatchScheduler.ts).
// What a client can tell of that: what arrives together, what arrives in which order, and what never
// arrives. No test here reads a clock: the spacing's own effect (a busy room batches) is shown by
// changes made in two turns arriving in one patch.

const readyOf = (room: LabyrinthRoom, clientId: string) => room.state.players.get(clientId)?.ready === true;

/** A client that keeps what its decoded state held after every patch (the full state at its join first). */
type Watcher = { room: LabyrinthRoom; clientId: string; patches: { ready: Set<string>; players: string[] }[] };

function roomTests(settings: Record<string, string>) {
  const server = roomTestServer({ COUNTDOWN_SECONDS: '30', ...settings });
  const { sdk, openRooms } = server;

  async function join(sessionId: string, clientId: string): Promise<Watcher> {
    const room = await sdk.joinOrCreate('labyrinth', { sessionId, clientId });
    openRooms.push(room);
    const watcher: Watcher = { room, clientId, patches: [] };
    room.onStateChange((state) => {
      const ready = new Set([...state.players].filter(([, player]) => player.ready).map(([id]) => id));
      watcher.patches.push({ ready, players: [...state.players.keys()].sort() });
    });
    return watcher;
  }

  /** A session with these players seated and connected, as everyone sees it. */
  async function seated(...clientIds: string[]): Promise<{ sessionId: string; watchers: Watcher[]; room: ServerRoom }> {
    const created = await request('POST', '/api/sessions', { json: { size: 6 } });
    assert.equal(created.status, 201);
    const sessionId: string = created.body.id;
    const watchers: Watcher[] = [];
    for (const clientId of clientIds) watchers.push(await join(sessionId, clientId));
    for (const watcher of watchers) {
      await waitFor(
        () => [...watcher.room.state.players.values()].filter((player) => player.connected).length === clientIds.length,
        `${watcher.clientId} to see everyone`,
      );
    }
    return { sessionId, watchers, room: matchMaker.getLocalRoomById(sessionId) as ServerRoom };
  }

  return { ...server, join, seated };
}

describe('state patches: one per turn that changed something', () => {
  const { seated } = roomTests({});

  it('sends the changes of one turn in one patch, whoever made them', async () => {
    const { watchers, room } = await seated('alice', 'bob', 'carol', 'dave');
    const dave = watchers[3]!;
    // Three HTTP-bridge calls in one turn (dave stays unready, so no countdown starts).
    void room.setReadyOverHttp('alice', true);
    void room.setReadyOverHttp('bob', true);
    void room.setReadyOverHttp('carol', true);
    await waitFor(() => ['alice', 'bob', 'carol'].every((id) => readyOf(dave.room, id)), 'dave to see the three ready');
    const first = dave.patches.find((patch) => patch.ready.size > 0);
    assert.deepEqual([...first!.ready].sort(), ['alice', 'bob', 'carol'], 'the three changes arrived in one patch');
  });

  it('sends nothing for messages that change nothing', async () => {
    const { watchers } = await seated('alice', 'bob');
    const [alice, bob] = watchers as [Watcher, Watcher];
    const patchesBefore = bob.patches.length;
    const errors: string[] = [];
    alice.room.onMessage('error', ({ code }: { code: string }) => errors.push(code));
    // Refused (a move in the lobby, an unknown character, an empty chat line), or only answered (whoami).
    alice.room.send('move', { dir: 'N' });
    alice.room.send('pick_character', { entityId: 'nobody' });
    alice.room.send('chat', { text: '   ' });
    await alice.room.request('whoami');
    await waitFor(
      () => errors.length === 3,
      () => `alice's three refusals (got ${errors.join(', ')})`,
    );
    // Then a change, after them on the same socket: bob's next patch must be the one that carries it.
    alice.room.send('ready', { ready: true });
    await waitFor(() => readyOf(bob.room, 'alice'), 'bob to see alice ready');
    assert.equal(bob.patches.length, patchesBefore + 1, 'bob got one patch, the one with the change');
  });

  it('sends a chat line (afterNextPatch) after the patch that adds it to the state', async () => {
    const { watchers } = await seated('alice', 'bob');
    const [alice, bob] = watchers as [Watcher, Watcher];
    alice.room.onMessage('chat', () => undefined);
    const heard: { text: string; inState: boolean }[] = [];
    bob.room.onMessage('chat', ({ text }: { text: string }) => heard.push({ text, inState: bob.room.state.chat.some((line) => line.text === text) }));
    const lines = ['one', 'two', 'three', 'four'];
    for (const text of lines) alice.room.send('chat', { text });
    await waitFor(() => heard.length === lines.length, 'bob to hear every line');
    assert.deepEqual(
      heard,
      lines.map((text) => ({ text, inState: true })),
    );
  });
});

describe('state patches: spaced by PATCH_MIN_INTERVAL_MS', () => {
  // Far longer than anything below takes, so that what the tests make in a row falls within one spacing.
  const { join, seated } = roomTests({ PATCH_MIN_INTERVAL_MS: '1000' });

  /** Waits until a patch has just been sent: the room must now wait a whole spacing before the next. */
  async function afterAPatch(room: ServerRoom, watcher: Watcher, clientId: string): Promise<void> {
    void room.setReadyOverHttp(clientId, true);
    await waitFor(() => readyOf(watcher.room, clientId), `${watcher.clientId} to see ${clientId} ready`);
  }

  it('batches what comes within the spacing into one patch', async () => {
    const { watchers, room } = await seated('alice', 'bob', 'carol', 'dave');
    const dave = watchers[3]!;
    await afterAPatch(room, dave, 'alice');
    // Two changes in two turns, both within the spacing of that patch.
    void room.setReadyOverHttp('bob', true);
    await nextTurn();
    void room.setReadyOverHttp('carol', true);
    await waitFor(() => readyOf(dave.room, 'bob') && readyOf(dave.room, 'carol'), 'dave to see bob and carol ready');
    const withBob = dave.patches.find((patch) => patch.ready.has('bob'));
    assert.ok(withBob?.ready.has('carol'), 'bob and carol arrived in one patch');
  });

  it('gives a joining client the whole state, with the changes its room has not sent yet', async () => {
    const { sessionId, watchers, room } = await seated('alice', 'bob');
    const [alice] = watchers as [Watcher, Watcher];
    await afterAPatch(room, alice, 'alice');
    // Held back by the spacing while carol joins.
    void room.setReadyOverHttp('bob', true);
    const carol = await join(sessionId, 'carol');
    await waitFor(() => carol.patches.length > 0, "carol's first state");
    assert.ok(carol.patches[0]!.ready.has('bob'), "carol's first state shows bob ready");
    // Then the held patch reaches everyone, carol too, and leaves them all with the same state.
    await waitFor(() => readyOf(alice.room, 'bob'), 'alice to see bob ready');
    for (const watcher of [alice, carol]) {
      await waitFor(() => watcher.room.state.players.size === 3, `${watcher.clientId} to see carol`);
      assert.deepEqual(watcher.patches.at(-1), { ready: new Set(['alice', 'bob']), players: ['alice', 'bob', 'carol'] });
    }
  });
});
