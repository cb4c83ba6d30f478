import { schema, t, type SchemaType } from '@colyseus/schema';
import type { FogMode } from '../../src/game/MazeKnowledge.ts';
import type { Phase } from '../../src/game/phase.ts';

/** One seat in the session, keyed by `clientId` in `LabyrinthState.players`. */
export const PlayerState = schema(
  {
    clientId: t.string(),
    name: t.string(),
    ready: t.boolean(),
    /** False while the player's socket is gone: during a reconnection window, or a seat taken over HTTP; always false for a bot. */
    connected: t.boolean(),
    /** A seat the room plays itself (created with the session's `bots`): always ready, never a person. */
    bot: t.boolean(),
    /** Where the player stands: in a `player` fog session only while the viewer's player can see it (see RoundViews). */
    x: t.uint8().view(),
    y: t.uint8().view(),
    /** The picked `player`-type entity ("" until one is picked), with its name and role. */
    characterId: t.string(),
    characterName: t.string(),
    characterRole: t.string(),
  },
  'PlayerState',
);
export type PlayerState = SchemaType<typeof PlayerState>;

/** Someone watching: sees the state, cannot ready, pick or move, and does not count for allReady. */
export const SpectatorState = schema({ clientId: t.string(), name: t.string() }, 'SpectatorState');
export type SpectatorState = SchemaType<typeof SpectatorState>;

/**
 * A tile some player has seen (stood on, or looked into through an open side). Only revealed
 * tiles are in the state: an unrevealed tile is never sent. The team shares what it has seen.
 */
export const RevealedTile = schema(
  {
    x: t.uint8(),
    y: t.uint8(),
    type: t.string(),
    openDirections: t.array('string'),
    image: t.string(),
    /** True on the exit cell: the first player to stand here wins. */
    exit: t.boolean(),
  },
  'RevealedTile',
);
export type RevealedTile = SchemaType<typeof RevealedTile>;

/** A chat line, as broadcast in the `chat` message. */
export const ChatLine = schema({ from: t.string(), name: t.string(), text: t.string(), at: t.float64() }, 'ChatLine');
export type ChatLine = SchemaType<typeof ChatLine>;

/**
 * What the clients of a session see. The maze itself is not here: only the tiles seen so far, and
 * its seed once the round is over (the whole maze follows from it).
 */
export const LabyrinthState = schema(
  {
    sessionId: t.string(),
    labyrinthId: t.string(),
    /** "" until the round is finished: the seed would give the whole maze away. */
    seed: t.string(),
    /** `team` or `player`: how players share what they see. */
    fog: t.string<FogMode>().default('team'),
    size: t.uint8(),
    startX: t.uint8(),
    startY: t.uint8(),
    /** "lobby" → "countdown" → "playing" → "finished" (then "lobby" again on a new maze). */
    phase: t.string<Phase>().default('lobby'),
    /** 1 for the first maze of the session; each new round adds one. */
    round: t.uint16(),
    players: t.map(PlayerState),
    spectators: t.map(SpectatorState),
    /** True only when every player is ready and at least one of them is a person (bots are always ready). */
    allReady: t.boolean(),
    /** During "countdown": when play starts (epoch ms); 0 otherwise. */
    countdownEndsAt: t.float64(),
    /** When the current round started / finished (epoch ms); 0 when not yet. */
    startedAt: t.float64(),
    finishedAt: t.float64(),
    /** The winner's clientId and name ("" until someone reaches the exit). */
    winner: t.string(),
    winnerName: t.string(),
    /** Revealed tiles by "x,y": the team's, or in a `player` fog session only the viewer's own (see RoundViews). */
    revealed: t.map(RevealedTile).view(),
    /** The last 50 chat lines, oldest first, so joiners see the conversation so far. */
    chat: t.array(ChatLine),
  },
  'LabyrinthState',
);
export type LabyrinthState = SchemaType<typeof LabyrinthState>;
