// The labyrinth room's protocol in one place: the zod schemas that validate join options and
// client messages define their TypeScript types (`z.input` is what a client sends), shared by the
// room, the HTTP bridge and the client demo (which imports these types only).
import type { Client } from '@colyseus/core';
import { z } from 'zod';
import { MAX_CHAT_LENGTH } from '../src/game/chatLine.ts';
import type { Phase } from '../src/game/phase.ts';
import type { ChatLine } from '../src/game/roundFacts.ts';
import { PLAYER_ID_PATTERN } from '../src/identity/playerIds.ts';
import { DIRECTIONS, type Direction } from '../src/maze/directions.ts';
import { MAX_MAZE_SIZE, MIN_MAZE_SIZE } from '../src/maze/generateMaze.ts';
import { FOG_MODES } from '../src/game/MazeKnowledge.ts';
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, JOIN_CODE_PATTERN } from '../src/game/sessionAccess.ts';
import { SESSION_ID_PATTERN } from '../src/sessions/sessionId.ts';

export type { Phase };

/** A player's or spectator's display name: 1..32 characters after trimming. */
export const displayName = z.string().trim().min(1).max(32);

const HOW_TO_JOIN = 'leave sessionId and code out to quick-play, or create a session with POST /api/sessions';
const SESSION_ID_HELP = `must be a session id (a UUID): ${HOW_TO_JOIN}`;
const CODE_HELP = `must be a ${JOIN_CODE_LENGTH}-character join code (letters and digits from ${JOIN_CODE_ALPHABET}): ${HOW_TO_JOIN}`;
/** A join code as a client may type it, in either case (upper-cased before it is checked): what /protocol.json publishes. */
const CODE_AS_TYPED = `^[${JOIN_CODE_ALPHABET}${JOIN_CODE_ALPHABET.toLowerCase()}]{${JOIN_CODE_LENGTH}}$`;

/** Who joins: the same in every join form. */
const joiner = {
  /**
   * A guest's stable id (e.g. kept in local storage). A player signed in with a token
   * (`client.auth.token`) leaves it out: its id is its token's subject (`sub:…`).
   */
  clientId: z.string().regex(PLAYER_ID_PATTERN, 'must be 1 to 128 letters, digits or _-.:@').optional(),
  /** A guest's token, which `whoami` gave on this clientId's first join. */
  clientToken: z.string().max(256).optional(),
  /** Display name; defaults to a signed-in player's name claim, else the clientId. */
  name: displayName.optional(),
};
/** Watch only. Joining while a round is under way (or a full session) needs it; a newcomer to a round under way watches anyway. */
const spectator = z.boolean().optional();

/** `joinOrCreate("labyrinth", { sessionId, clientId, … })` or `joinById(sessionId, { clientId, … })`: that session. */
export const sessionJoinOptions = z.strictObject({
  sessionId: z.string({ error: SESSION_ID_HELP }).regex(SESSION_ID_PATTERN, SESSION_ID_HELP),
  ...joiner,
  spectator,
});
/** `joinOrCreate("labyrinth", { code, clientId, … })`: the private session with that join code, typed in either case. */
export const codeJoinOptions = z.strictObject({
  code: z.string({ error: CODE_HELP }).toUpperCase().regex(JOIN_CODE_PATTERN, CODE_HELP).meta({ pattern: CODE_AS_TYPED }),
  ...joiner,
  spectator,
});
/**
 * `joinOrCreate("labyrinth", { clientId, … })`, no sessionId nor code: quick play, a seat in an open
 * public session in its lobby on a maze of `size` with `fog` (the server's QUICK_PLAY_* defaults),
 * fullest first, or in a new one.
 */
export const quickPlayOptions = z.strictObject({
  ...joiner,
  size: z.int().min(MIN_MAZE_SIZE).max(MAX_MAZE_SIZE).optional(),
  fog: z.enum(FOG_MODES).optional(),
});
export type SessionJoinOptions = z.input<typeof sessionJoinOptions>;
export type CodeJoinOptions = z.input<typeof codeJoinOptions>;
export type QuickPlayOptions = z.input<typeof quickPlayOptions>;
/** Options of `joinOrCreate("labyrinth", …)` and `joinById(sessionId, …)`: one of the three join forms. */
export type LabyrinthJoinOptions = SessionJoinOptions | CodeJoinOptions | QuickPlayOptions;

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

/** server → client messages: what `room.onMessage(type, …)` receives (published with the others in /protocol.json). */
export const serverMessages = {
  /** A chat line, to everyone in the session. */
  chat: z.object({
    from: z.string().meta({ description: "The sender's clientId." }),
    name: z.string().meta({ description: "The sender's display name." }),
    text: z.string(),
    at: z.number().meta({ description: 'Server time, epoch ms.' }),
  }) satisfies z.ZodType<ChatLine>,
  /** The sender's message was refused and changed nothing (codes: docs/protocol.md). */
  error: z.object({ code: z.string().meta({ description: 'invalid_message, not_seated, wrong_phase, wall, too_fast, …' }), message: z.string() }),
};
/** server → client `chat`: a line everyone receives. */
export type ChatBroadcast = z.output<typeof serverMessages.chat>;
/** server → client `error`: a refused message; nothing changed. */
export type RoomErrorMessage = z.output<typeof serverMessages.error>;
/** Messages the server sends, so `client.send` in the room and `room.onMessage` in the SDK are typed. */
export type ServerMessages = { [Type in keyof typeof serverMessages]: z.output<(typeof serverMessages)[Type]> };

/**
 * The numbers a client must keep to, in the `whoami` reply: a client that paces itself by them is
 * never refused for going too fast, nor cut off.
 */
const clientLimits = z.object({
  moveCooldownMs: z.number().meta({ description: 'MOVE_COOLDOWN_MS: the least time between two moves of one player (a faster one is refused `too_fast`).' }),
  messagesPerSecond: z
    .number()
    .meta({ description: 'Frames one socket may send per second (messages, requests and pings alike), in a burst of as many; more closes it with 4002.' }),
  maxMessageBytes: z.number().meta({ description: 'The largest frame one socket may send, in bytes; a larger one closes it.' }),
  chatMaxLength: z.number().meta({ description: 'The longest chat line, in characters after trimming (`chat_too_long` beyond).' }),
  chatBurst: z.number().meta({ description: 'Chat lines one client may send at once, then one every `chatRefillMs` (`chat_rate_limited` beyond).' }),
  chatRefillMs: z.number(),
});
export type ClientLimits = z.output<typeof clientLimits>;

/**
 * `await room.request("whoami")`: who this connection is (`spectator`: it watches, holding no seat),
 * the clientToken a guest keeps for later joins, and the limits to pace itself by.
 */
export const welcomeMessage = z.object({
  sessionId: z.string(),
  clientId: z.string().meta({ description: "The id the state knows this player by: a guest's clientId, or `sub:` and a signed-in player's subject." }),
  clientToken: z
    .string()
    .meta({ description: 'A guest keeps it for later joins with the same clientId; "" for a signed-in player, whose own token proves who it is.' }),
  spectator: z.boolean(),
  limits: clientLimits,
});
/** The `whoami` reply. A guest keeps `clientToken` for later joins; a signed-in player's is "" (its token proves who it is). */
export type WelcomeMessage = z.output<typeof welcomeMessage>;
/** Who a connection is, kept on `client.userData` when it joins (shown by /monitor, see monitorInspection.ts). */
export type ConnectionIdentity = { clientId: string; name: string; spectator: boolean };
/** A connection to the labyrinth room. */
export type LabyrinthClient = Client<{ messages: ServerMessages; userData: ConnectionIdentity }>;
