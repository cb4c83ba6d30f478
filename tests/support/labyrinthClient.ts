import { Client, type Room } from '@colyseus/sdk';
import type { WelcomeMessage } from '../../rooms/labyrinthProtocol.ts';
import type { LabyrinthServer } from '../../src/app.ts';

// The one contract of the room tests: the SDK client typed from the server's own definition, as the
// client demo's (client-demo/src/labyrinthServer.ts). Join options, messages and the decoded state
// are the server's types: a renamed state field or message fails to compile here.

export type LabyrinthClient = Client<LabyrinthServer>;
/** The room of one game session, as `joinOrCreate('labyrinth', …)` returns it. */
export type LabyrinthRoom = Room<LabyrinthServer['~rooms']['labyrinth']['~room']>;
export type LabyrinthState = LabyrinthRoom['state'];
export type PlayerView = NonNullable<ReturnType<LabyrinthState['players']['get']>>;

export function labyrinthClient(endpoint: string): LabyrinthClient {
  return new Client<LabyrinthServer>(endpoint);
}

/** The `whoami` answer of a client in the room; a refusal fails the test. */
export async function whoami(room: LabyrinthRoom): Promise<WelcomeMessage> {
  const answer = await room.request('whoami');
  if ('code' in answer) throw new Error(`whoami was refused: ${answer.code} (${answer.message})`);
  return answer;
}

/**
 * Sends what the server's types forbid (an unknown direction, a misspelt field, a message that does
 * not exist), as a broken or hostile client would: for the tests of refusals, and only those.
 */
export function sendUnchecked(room: LabyrinthRoom, type: string | number, payload?: unknown): void {
  (room as Room).send(type, payload);
}
