import type { Direction } from '../maze/directions.ts';
import { generateMaze, type Maze } from '../maze/generateMaze.ts';
import { cellKey, cellsSeenFrom } from './fogOfWar.ts';
import { isExit, tryMove, type Cell } from './moveRules.ts';
import type { RoundEvent } from './roundEvents.ts';

/** One entry of a session's audit trail: an accepted action, numbered, timed, with who did it. */
export type LogEntry = {
  /** 1, 2, 3, … within the session. */
  seq: number;
  /** Server time, epoch ms. */
  at: number;
  /** The clientId who acted; null for what the server does on its own (a countdown, a round's start). */
  actor: string | null;
  type: RoundEvent['type'];
  /** The event's facts, without its type (and without transport details such as connection ids). */
  data: Record<string, unknown>;
};

/** The audit trail entries of `events` (every event is an accepted action), numbered from `firstSeq`. */
export function toLogEntries(events: readonly RoundEvent[], firstSeq: number, at: number): LogEntry[] {
  return events.map((event, index) => {
    const { type, ...facts } = event;
    const data: Record<string, unknown> = { ...facts };
    delete data.connectionId;
    delete data.closeConnectionId;
    // A new round's maze is kept as its seed, which regenerates it, rather than as every tile.
    if (event.type === 'new_round') {
      delete data.maze;
      data.seed = event.maze.seed;
    }
    // A move's revealed and seen cells follow from `to` and the maze (the replay works them out): not
    // stored, which keeps the trail's most frequent row small (docs/operations.md#database-growth).
    if (event.type === 'player_moved') {
      delete data.revealed;
      delete data.seen;
    }
    return { seq: firstSeq + index, at, actor: actorOf(event), type, data };
  });
}

function actorOf(event: RoundEvent): string | null {
  // An admin acted, not the player removed (`by` in its data says who).
  if (event.type === 'player_kicked') return null;
  if ('clientId' in event) return event.clientId;
  if (event.type === 'chat_said') return event.line.from;
  if (event.type === 'round_finished') return event.winner.clientId;
  return null;
}

/** A round as it stood after one of its events, rebuilt from the events alone. */
export type ReplayFrame = {
  /** The event this frame follows (the round's `round_started` for the first frame). */
  seq: number;
  at: number;
  /** Where each player of the round stands. */
  positions: Map<string, Cell>;
  /** Keys (`cellKey`) of every cell the team has seen so far. */
  revealed: Set<string>;
  winner: string | null;
};

/** A whole round replayed: its maze, every frame from the start on, and how it ended. */
export type ReplayedRound = {
  seed: string;
  maze: Maze;
  frames: ReplayFrame[];
  /** Where each player of the round stands at the end. */
  positions: Map<string, Cell>;
  /** Keys (`cellKey`) of every cell the team saw. */
  revealed: Set<string>;
  winner: string | null;
  /** From the start to the finish, ms; null when the round did not finish. */
  durationMs: number | null;
};

/** The events of a round, from its `round_started` on, do not make sense (a move through a wall, …). */
export class ReplayMismatch extends Error {
  override name = 'ReplayMismatch';
}

/**
 * Plays the last round in `entries` again from its audit trail, with the maze rules alone: the maze
 * from the seed its start recorded, every player on the start cell, each recorded step taken again
 * (and checked), what each position shows revealed, the first player on the exit the winner. A
 * round replayed this way must end exactly as the database says it did. One frame per move, so a
 * viewer can step through it.
 */
export function replayRound(entries: readonly LogEntry[]): ReplayedRound {
  const startIndex = entries.findLastIndex((entry) => entry.type === 'round_started');
  if (startIndex < 0) throw new ReplayMismatch('no round_started event');
  const startEntry = entries[startIndex]!;
  const started = startEntry.data as { seed: string; size: number; start: Cell; startedAt: number; players: string[] };
  const maze = generateMaze(started.size, started.seed);
  const positions = new Map(started.players.map((clientId) => [clientId, started.start]));
  const revealed = new Set(cellsSeenFrom(maze, started.start).map(cellKey));
  let winner: string | null = null;
  let durationMs: number | null = null;
  const frames: ReplayFrame[] = [{ seq: startEntry.seq, at: startEntry.at, positions: new Map(positions), revealed: new Set(revealed), winner }];
  for (const entry of entries.slice(startIndex + 1)) {
    if (entry.type === 'player_moved') {
      const { dir, to } = entry.data as { dir: Direction; to: Cell };
      const from = positions.get(entry.actor ?? '');
      if (!from || winner) throw new ReplayMismatch(`seq ${entry.seq}: ${entry.actor} cannot move now`);
      const move = tryMove(maze, from, dir);
      if (!move.ok || move.to.x !== to.x || move.to.y !== to.y)
        throw new ReplayMismatch(`seq ${entry.seq}: ${dir} from ${cellKey(from)} does not lead to ${cellKey(to)}`);
      positions.set(entry.actor!, move.to);
      for (const cell of cellsSeenFrom(maze, move.to)) revealed.add(cellKey(cell));
      if (isExit(maze, move.to)) winner = entry.actor;
      frames.push({ seq: entry.seq, at: entry.at, positions: new Map(positions), revealed: new Set(revealed), winner });
    } else if (entry.type === 'round_finished') {
      durationMs = (entry.data as { finishedAt: number }).finishedAt - started.startedAt;
      break;
    }
  }
  return { seed: started.seed, maze, frames, positions, revealed, winner, durationMs };
}
