import type { Direction } from '../maze/directions.ts';
import type { Maze } from '../maze/generateMaze.ts';
import type { Cell } from './moveRules.ts';
import type { Character, ChatLine, Removal } from './roundFacts.ts';

/**
 * What happened to a session's round: the facts a command produced, in order. The room carries
 * each one out (the synced state, the rows to write, timers, messages and sockets to close); a
 * refused command produces none.
 */
export type RoundEvent =
  /** A player took a seat, or took its own seat back on a new connection (`connectionId` null: over HTTP). */
  | { type: 'player_joined'; clientId: string; name: string; connectionId: string | null }
  /** The seat moved to a newer connection (a reload): the older one is to be closed. */
  | { type: 'seat_taken_over'; clientId: string; connectionId: string }
  /** The player's socket dropped: the seat waits for a reconnection. */
  | { type: 'player_dropped'; clientId: string }
  | { type: 'player_reconnected'; clientId: string }
  /** The seat is free. `closeConnectionId`: a socket that still held it and is to be closed (a leave over HTTP). */
  | { type: 'player_left'; clientId: string; closeConnectionId: string | null }
  /**
   * An admin removed the player (`banned`: for good): the seat is free, and `closeConnectionId`, the
   * socket that held it, is to be closed. `by`: `admin`, `monitor` or a signed-in admin's id.
   */
  | ({ type: 'player_kicked'; clientId: string; closeConnectionId: string | null } & Removal)
  | { type: 'spectator_joined'; connectionId: string; clientId: string; name: string }
  | { type: 'spectator_left'; connectionId: string; clientId: string }
  | { type: 'ready_changed'; clientId: string; ready: boolean }
  /** Everyone is ready: play starts at `endsAt` (epoch ms) unless the countdown is cancelled. */
  | { type: 'countdown_started'; endsAt: number }
  | { type: 'countdown_cancelled' }
  /** Every player (`players`) is on the `start` cell of the maze of `seed`; `revealed` are the cells seen from it. */
  | { type: 'round_started'; startedAt: number; seed: string; size: number; start: Cell; players: string[]; revealed: Cell[] }
  | { type: 'character_picked'; clientId: string; character: Character }
  /** One step `dir` to `to`; `revealed`: the cells it showed the team for the first time, `seen`: the player. */
  | { type: 'player_moved'; clientId: string; dir: Direction; to: Cell; revealed: Cell[]; seen: Cell[] }
  | { type: 'round_finished'; winner: { clientId: string; name: string }; finishedAt: number }
  /**
   * Back to the lobby on a new maze (`maze`, generated once, by the round): every player on its
   * start, nobody ready, characters kept.
   */
  | { type: 'new_round'; clientId: string; round: number; labyrinthId: string; maze: Maze }
  | { type: 'chat_said'; line: ChatLine };

export type RoundEventType = RoundEvent['type'];
