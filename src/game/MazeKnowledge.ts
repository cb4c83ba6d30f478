import type { Maze } from '../maze/generateMaze.ts';
import { cellKey, cellsSeenFrom } from './fogOfWar.ts';
import type { Cell } from './moveRules.ts';

/**
 * How a session shares what its players see. `team`: every player knows every tile any player has
 * seen (and where everyone stands). `player`: each knows only the tiles it has seen itself, and
 * other players only while they stand where it can see.
 */
export type FogMode = 'team' | 'player';
export const FOG_MODES: readonly FogMode[] = ['team', 'player'];

/** What spectators see during a round: `everything`, or nothing of the maze until it ends (`after_round`). */
export type SpectatorView = 'everything' | 'after_round';
export const SPECTATOR_VIEWS: readonly SpectatorView[] = ['everything', 'after_round'];

/**
 * What has been seen of the current maze: by the team (the union, which the database keeps on the
 * tiles) and by each player (rebuilt from the round's moves after a restart). Pure bookkeeping; the
 * fog mode decides which of the two a player is shown.
 */
export class MazeKnowledge {
  /** Keys (`cellKey`) of the cells somebody has seen. */
  readonly revealed = new Set<string>();
  readonly #seenBy = new Map<string, Set<string>>();

  /** `clientId` stands on `cell`: what it sees becomes known. Returns the cells new to the team and new to this player. */
  look(clientId: string, maze: Maze, cell: Cell): { revealed: Cell[]; seen: Cell[] } {
    const mine = this.#seenBy.get(clientId) ?? new Set<string>();
    this.#seenBy.set(clientId, mine);
    const revealed: Cell[] = [];
    const seen: Cell[] = [];
    for (const visible of cellsSeenFrom(maze, cell)) {
      const key = cellKey(visible);
      if (!this.revealed.has(key)) {
        this.revealed.add(key);
        revealed.push(visible);
      }
      if (!mine.has(key)) {
        mine.add(key);
        seen.push(visible);
      }
    }
    return { revealed, seen };
  }

  /** The keys of the cells `clientId` has seen on this maze. */
  seenBy(clientId: string): ReadonlySet<string> {
    return this.#seenBy.get(clientId) ?? NOTHING;
  }

  /** The keys of the cells a player may know: with `team` fog the team's, with `player` fog its own. */
  knownTo(clientId: string, fog: FogMode): ReadonlySet<string> {
    return fog === 'team' ? this.revealed : this.seenBy(clientId);
  }

  /** A player left: what it alone saw stays in the team's knowledge, not in its own. */
  forget(clientId: string): void {
    this.#seenBy.delete(clientId);
  }

  /** A new maze: nothing is known. */
  clear(): void {
    this.revealed.clear();
    this.#seenBy.clear();
  }
}

const NOTHING: ReadonlySet<string> = new Set();
