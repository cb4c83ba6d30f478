import { Client, type Room } from '@colyseus/sdk';
import type { LabyrinthServer } from '../../src/app.ts';

// The server's type, inferred from its definition (`src/app.ts`). Only the type crosses over (the
// import is erased by the bundler), yet rooms, their state and every message are typed end to end:
// `room.send('move', { dir: 'Q' })` and `room.state.players.get(id).readyy` fail to compile. The
// tests use the same (tests/support/labyrinthClient.ts).
export type { LabyrinthServer };

/** A client for the server that served this page. */
export function connectToServer(endpoint: string = location.origin): Client<LabyrinthServer> {
  return new Client<LabyrinthServer>(endpoint);
}

/** The room of one game session, as `joinOrCreate('labyrinth', …)` returns it. */
export type LabyrinthRoom = Room<LabyrinthServer['~rooms']['labyrinth']['~room']>;
export type LabyrinthState = LabyrinthRoom['state'];
export type PlayerView = NonNullable<ReturnType<LabyrinthState['players']['get']>>;
