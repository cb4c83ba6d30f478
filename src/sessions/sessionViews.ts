import { wrap } from '@mikro-orm/core';
import type { GameSession, Player } from '../database/entities/index.ts';
import type { FogMode, SpectatorView } from '../game/MazeKnowledge.ts';
import type { StoredPhase } from '../game/phase.ts';
import type { Visibility } from '../game/sessionAccess.ts';
import type { RoundSnapshot, StoredSeat } from '../game/roundFacts.ts';
import type { Direction } from '../maze/directions.ts';
import type { TileType } from '../maze/tileShape.ts';

/** A session as every API shows it. */
export type SessionSummary = {
  id: string;
  labyrinthId: string;
  seed: string;
  size: number;
  startX: number;
  startY: number;
  fog: FogMode;
  spectatorView: SpectatorView;
  /** Seats for players (spectators not counted). */
  maxPlayers: number;
  visibility: Visibility;
  /** A private session's join code; null for a public one. */
  code: string | null;
  /** As stored: a countdown is not, so a session counting down shows `lobby`. */
  phase: StoredPhase;
  /** 1 for the first maze; each new round adds one (so a round has finished when `round` > 1 or `phase` is `finished`). */
  round: number;
  createdAt: Date;
};

export type SessionPage = { sessions: SessionSummary[]; total: number; limit: number; offset: number };

export type LabyrinthTileView = {
  x: number;
  y: number;
  type: TileType;
  openDirections: Direction[];
  image: string;
  revealed: boolean;
};

/** A stored labyrinth with its tiles in row-major order. */
export type LabyrinthView = {
  id: string;
  seed: string;
  size: number;
  startX: number;
  startY: number;
  exit: { x: number; y: number };
  tiles: LabyrinthTileView[];
};

/** A seated player as stored. */
export type SeatedPlayer = StoredSeat & { joinedAt: Date };

/** Everything a room needs to rebuild its live state, and where its audit trail left off. */
export type SessionSnapshot = SessionSummary & RoundSnapshot & { players: SeatedPlayer[]; lastSeq: number };

export function toSummary(session: GameSession): SessionSummary {
  return {
    id: session.id,
    labyrinthId: session.labyrinth.id,
    seed: session.seed,
    size: session.size,
    startX: session.startX,
    startY: session.startY,
    fog: session.fog,
    spectatorView: session.spectatorView,
    maxPlayers: session.maxPlayers,
    visibility: session.visibility,
    code: session.code ?? null,
    phase: session.phase,
    round: session.round,
    createdAt: session.createdAt,
  };
}

export function toSeatedPlayer(player: Player): SeatedPlayer {
  const character = player.character && wrap(player.character).isInitialized() ? player.character : undefined;
  return {
    character: character ? { id: character.id, name: character.name, role: character.role ?? '' } : null,
    clientId: player.clientId,
    name: player.username ?? player.clientId,
    ready: player.ready,
    x: player.playerX,
    y: player.playerY,
    joinedAt: player.joinedAt,
  };
}
