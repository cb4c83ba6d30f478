import assert from 'node:assert/strict';
import type { WebSocket } from 'ws';
import { matchMaker } from '@colyseus/core';
import { cellKey, cellsSeenFrom } from '../../src/game/fogOfWar.ts';
import { tryMove, type Cell } from '../../src/game/moveRules.ts';
import { generateMaze } from '../../src/maze/generateMaze.ts';
import { request } from '../support/httpClient.ts';
import { pathBetween } from '../support/pathBetween.ts';
import { roomTestServer } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';
import { type LabyrinthRoom, whoami } from '../support/labyrinthClient.ts';

// The players of a `team` fog session share one StateView (rooms/schema/RoundViews.ts). A
// connection that opens after the view has filled, by taking its seat over (a page reload) or by
// reconnecting after a drop, must get everything the view already holds, and what comes after.

const MOVE_COOLDOWN_MS = 60;
const SIZE = 8;
const SEED = 'team-view';

const stateOf = (room: LabyrinthRoom) => room.state;
const revealedIn = (room: LabyrinthRoom) => new Set(stateOf(room).revealed?.keys() ?? []);

describe('team fog: the shared view reaches connections that open late', () => {
  const { sdk, openRooms } = roomTestServer({ COUNTDOWN_SECONDS: '0.2', MOVE_COOLDOWN_MS: String(MOVE_COOLDOWN_MS) });

  async function join(sessionId: string, clientId: string, extra: Record<string, string> = {}): Promise<LabyrinthRoom> {
    const room = await sdk.joinOrCreate('labyrinth', { sessionId, clientId, name: clientId.toUpperCase(), ...extra });
    openRooms.push(room);
    return room;
  }

  it('gives a seat taken over mid-round, and a reconnected player, every tile the team revealed', async () => {
    const created = await request('POST', '/api/sessions', { json: { size: SIZE, seed: SEED, fog: 'team' } });
    assert.equal(created.status, 201);
    const sessionId: string = created.body.id;
    const maze = generateMaze(SIZE, SEED);
    const alice = await join(sessionId, 'alice');
    const bob = await join(sessionId, 'bob');
    bob.reconnection.minUptime = 0;
    alice.send('ready', { ready: true });
    bob.send('ready', { ready: true });
    await waitFor(() => stateOf(alice).phase === 'playing' && stateOf(bob).phase === 'playing', 'the round to start');

    // Alice walks towards the exit (stopping one step short), bob stays: every tile beyond the start's sight is alice's doing.
    let at: Cell = { x: maze.startX, y: maze.startY };
    const team = new Set(cellsSeenFrom(maze, at).map(cellKey));
    const walk = async (room: LabyrinthRoom, steps: ReturnType<typeof pathBetween>) => {
      for (const dir of steps) {
        const move = tryMove(maze, at, dir);
        assert.ok(move.ok);
        at = move.to;
        for (const cell of cellsSeenFrom(maze, at)) team.add(cellKey(cell));
        room.send('move', { dir });
        await waitFor(() => stateOf(room).players.get('alice')?.x === at.x && stateOf(room).players.get('alice')?.y === at.y, `alice at ${cellKey(at)}`);
        await new Promise((resolve) => setTimeout(resolve, MOVE_COOLDOWN_MS + 10));
      }
    };
    const path = pathBetween(maze, at, maze.exit).slice(0, -1);
    assert.ok(path.length >= 4, 'a path long enough to reveal tiles in two parts');
    const firstHalf = path.slice(0, Math.floor(path.length / 2));
    await walk(alice, firstHalf);
    assert.ok(team.size > cellsSeenFrom(maze, { x: maze.startX, y: maze.startY }).length, 'alice revealed tiles beyond the start');
    await waitFor(() => revealedIn(bob).size === team.size, "bob to see alice's tiles");

    // Alice reloads the page: a new connection takes her seat over, mid-round.
    const { clientToken } = await whoami(alice);
    const aliceAgain = await join(sessionId, 'alice', { clientToken });
    await waitFor(() => revealedIn(aliceAgain).size === team.size, "the new connection to get the team's tiles");
    assert.deepEqual(revealedIn(aliceAgain), team);

    // Bob drops; while he is away alice walks on; the SDK reconnects him.
    const serverRoom = matchMaker.getLocalRoomById(bob.roomId);
    const bobOnServer = serverRoom.clients.find((candidate) => candidate.sessionId === bob.sessionId);
    assert.ok(bobOnServer, 'the server-side client');
    (bobOnServer.ref as unknown as WebSocket).terminate();
    await waitFor(() => stateOf(aliceAgain).players.get('bob')?.connected === false, 'bob shown as disconnected');
    await walk(aliceAgain, path.slice(firstHalf.length));
    await waitFor(() => stateOf(aliceAgain).players.get('bob')?.connected === true, 'bob reconnected by the SDK');
    await waitFor(() => revealedIn(bob).size === team.size, "bob's reconnected state to hold every tile, those revealed while he was away too");
    assert.deepEqual(revealedIn(bob), team);
    assert.deepEqual(revealedIn(aliceAgain), team);
  });
});
