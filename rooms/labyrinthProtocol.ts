// The labyrinth room's protocol in one place: the zod schemas that validate join options and
// client messages define their TypeScript types (`z.input` is what a client sends), shared by the
// room, the HTTP bridge and the client demo (which imports these types only).
import type { Client } from '@colyseus/core';
import { z } from 'zod';
import { MAX_CHAT_LENGTH } from '../src/game/chatLine.ts';
import type { Phase } from '../src/game/phase.ts';
import type { ChatLine } from '../src/game/roundFacts.ts';
import { CLIENT_ID_PATTERN } from '../src/identity/ClientIdentityService.ts';
import { DIRECTIONS, type Direction } from '../src/maze/directions.ts';
import { SESSION_ID_PATTERN } from '../src/sessions/sessionId.ts';

export type { Phase };

/** A player's or spectator's display name: 1..32 characters after trimming. */
export const displayName = z.string().trim().min(1).max(32);

/** What creating a room needs: the session it plays. */
export const createOptions = z.object({ sessionId: z.string().regex(SESSION_ID_PATTERN, 'must be a session id (UUID)') });

/** Options of `joinOrCreate("labyrinth", …)` and `joinById(sessionId, …)`. */
export const joinOptions = createOptions.extend({
  /** The caller's stable id (e.g. kept in local storage). */
  clientId: z.string().regex(CLIENT_ID_PATTERN, 'must be 1 to 128 letters, digits or _-.:@'),
  /** The token `whoami` gave on this clientId's first join. */
  clientToken: z.string().max(256).optional(),
  /** Display name; defaults to the clientId. */
  name: displayName.optional(),
  /** Watch only. Joining while a round is under way makes a newcomer a spectator anyway. */
  spectator: z.boolean().optional(),
});
export type LabyrinthJoinOptions = z.input<typeof joinOptions>;

/** client → server messages, each with the usage shown when a payload does not fit. */
export const clientMessages = {
  /** Set (not flip) the sender's readiness. */
  ready: { schema: z.object({ ready: z.boolean() }), usage: 'ready expects {"ready": true|false}' },
  /** Play a seeded `player`-type entity (lobby only, unique in the session). */
  pick_character: { schema: z.object({ entityId: z.string().min(1).max(64) }), usage: 'pick_character expects {"entityId": "…"}' },
  /** One step through an open side of your tile (playing only). */
  move: { schema: z.object({ dir: z.enum(DIRECTIONS as [Direction, ...Direction[]]) }), usage: 'move expects {"dir": "N"|"E"|"S"|"W"}' },
  /** 1..200 characters after trimming (longer texts are refused with chat_too_long, not here). */
  chat: { schema: z.object({ text: z.string().max(4 * MAX_CHAT_LENGTH) }), usage: 'chat expects {"text": "…"}' },
} as const;
export type ReadyMessage = z.input<typeof clientMessages.ready.schema>;
export type PickCharacterMessage = z.input<typeof clientMessages.pick_character.schema>;
export type MoveMessage = z.input<typeof clientMessages.move.schema>;
export type ChatMessage = z.input<typeof clientMessages.chat.schema>;

/** server → client `chat`: a line everyone receives. */
export type ChatBroadcast = ChatLine;
/** The `whoami` reply. Keep `clientToken` for later joins. */
export type WelcomeMessage = { sessionId: string; clientId: string; clientToken: string; spectator: boolean };
/** server → client `error`: a refused message; nothing changed. */
export type RoomErrorMessage = { code: string; message: string };

/** Messages the server sends, so `client.send` in the room and `room.onMessage` in the SDK are typed. */
export type ServerMessages = { chat: ChatBroadcast; error: RoomErrorMessage };
/** Who a connection is, kept on `client.userData` when it joins (shown by /monitor, see monitorInspection.ts). */
export type ConnectionIdentity = { clientId: string; name: string; spectator: boolean };
/** A connection to the labyrinth room. */
export type LabyrinthClient = Client<{ messages: ServerMessages; userData: ConnectionIdentity }>;
