import { isBot } from '../src/game/botSeats.ts';
import type { FogMode } from '../src/game/MazeKnowledge.ts';
import type { Phase } from '../src/game/phase.ts';
import type { SeatClaims } from '../src/game/SeatClaims.ts';
import type { Visibility } from '../src/game/sessionAccess.ts';
import type { SessionRound } from '../src/game/SessionRound.ts';
import { quickPlayKey } from './joinForms.ts';

/**
 * What the matchmaker lists for a running room: what `filterBy` finds it by (`sessionId`, `code`,
 * `quickPlay`), what `sortBy` orders quick play by (`freeSeats`: fullest first), and what a list of
 * rooms shows (the live lobby, and `live` in `GET /api/sessions`).
 */
export type LabyrinthRoomMetadata = {
  sessionId: string;
  size: number;
  fog: FogMode;
  phase: Phase;
  /** 1 for the first maze; each new round adds one (a round has finished, and replays, when > 1 or `phase` is `finished`). */
  round: number;
  maxPlayers: number;
  /** Seated players, connected or not. */
  seated: number;
  /** Seated players holding a socket: the people playing now (bots hold none). */
  players: number;
  /** Seats the room plays itself (counted in `seated`, never in `players`). */
  bots: number;
  allReady: boolean;
  /** Seats neither taken nor claimed by a join under way. */
  freeSeats: number;
  /** The quick-play key (`size/fog`) while quick play may seat someone here: public, in the lobby, a seat free; else null. */
  quickPlay: string | null;
  /** A private session's join code (private rooms are unlisted: the live lobby never shows them). */
  code: string | null;
};

/** How a session is found and how many it seats: fixed at its creation. */
export type SessionAccess = { visibility: Visibility; code: string | null; claims: SeatClaims };

export function listingOf(round: SessionRound, access: SessionAccess): LabyrinthRoomMetadata {
  const seats = [...round.members.seats.values()];
  const freeSeats = access.claims.free(round.members.seats);
  const offered = access.visibility === 'public' && round.phase === 'lobby' && freeSeats > 0;
  return {
    sessionId: round.sessionId,
    size: round.maze.size,
    fog: round.fog,
    phase: round.phase,
    round: round.round,
    maxPlayers: access.claims.maxPlayers,
    seated: seats.length,
    players: seats.filter((seat) => seat.connected).length,
    bots: seats.filter((seat) => isBot(seat.clientId)).length,
    allReady: round.allReady,
    freeSeats,
    quickPlay: offered ? quickPlayKey(round.maze.size, round.fog) : null,
    code: access.code,
  };
}
