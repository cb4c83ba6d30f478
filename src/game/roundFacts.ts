import type { Cell } from './moveRules.ts';
import type { FogMode, SpectatorView } from './MazeKnowledge.ts';
import type { StoredPhase } from './phase.ts';

/** A playable character, picked in the lobby. */
export type Character = { id: string; name: string; role: string };

/** A seat in the session: who plays, where they stand, whether they are ready. */
export type Seat = {
  clientId: string;
  name: string;
  ready: boolean;
  /** False while the player holds no socket: dropped and reconnecting, or seated over HTTP. */
  connected: boolean;
  x: number;
  y: number;
  character: Character | null;
};

/** A seat as the database keeps it (whether a socket holds it is not stored). */
export type StoredSeat = Omit<Seat, 'connected'>;

/** Someone watching on one connection: sees everything, acts on nothing but chat. */
export type Spectator = { clientId: string; name: string };

/** Why an admin removed a player: who did (`admin`, `monitor` or a signed-in admin's id), the reason given, and whether for good. */
export type Removal = { by: string; reason: string | null; banned: boolean };

/** A line of chat, as kept in the state and broadcast to everyone. */
export type ChatLine = { from: string; name: string; text: string; at: number };

/** The rules a session plays by (from the server's configuration and game content). */
export type RoundRules = {
  /** From everyone being ready to play starting. */
  countdownMs: number;
  /** Minimum time between two moves of one player. */
  moveCooldownMs: number;
  /** The characters players may pick. */
  characters: readonly Character[];
};

/** Everything a round is rebuilt from (what the database keeps). */
export type RoundSnapshot = {
  id: string;
  labyrinthId: string;
  seed: string;
  size: number;
  phase: StoredPhase;
  round: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  winner: { clientId: string; name: string } | null;
  /** Seats in seating order. */
  players: StoredSeat[];
  /** Cells of the current maze that players have seen. */
  revealed: Cell[];
  fog: FogMode;
  spectatorView: SpectatorView;
  /** The current round's moves, in order: each player's own knowledge is rebuilt from them. */
  moves: { clientId: string; to: Cell }[];
};
