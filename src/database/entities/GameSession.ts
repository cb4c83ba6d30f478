import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { FogMode, SpectatorView } from '../../game/MazeKnowledge.ts';
import type { StoredPhase } from '../../game/phase.ts';
import type { Visibility } from '../../game/sessionAccess.ts';
import { Labyrinth } from './Labyrinth.ts';
import { Player } from './Player.ts';
import { ClientSeat } from './ClientSeat.ts';

/**
 * A game played on one labyrinth. Seed, size and start are copied from the labyrinth, as in the
 * reference data model, so listings need no join.
 */
export const GameSession = defineEntity({
  name: 'GameSession',
  tableName: 'game_session',
  indexes: [{ properties: ['createdAt'] }],
  properties: {
    id: p.uuid().primary(),
    labyrinth: () => p.manyToOne(Labyrinth).deleteRule('cascade').index(),
    seed: p.string().length(128),
    size: p.smallint(),
    startX: p.smallint(),
    startY: p.smallint(),
    createdAt: p.datetime().onCreate(() => new Date()),
    /** `lobby`, `playing` or `finished` (a countdown is not stored: after a restart it is the lobby). */
    phase: p.string().length(16).$type<StoredPhase>().default('lobby'),
    /** 1 for the first maze; each new round on a new maze adds one. */
    round: p.integer().default(1),
    startedAt: p.datetime().nullable(),
    finishedAt: p.datetime().nullable(),
    winnerClientId: p.string().length(128).nullable(),
    winnerName: p.string().length(64).nullable(),
    /** `team` or `player`: how players share what they see (see MazeKnowledge). */
    fog: p.string().length(8).$type<FogMode>().default('team'),
    /** `everything` or `after_round`: what spectators see during a round. */
    spectatorView: p.string().length(16).$type<SpectatorView>().default('everything'),
    /** Seats for players (spectators are not counted): 2..16. */
    maxPlayers: p.smallint().default(8),
    /** `public` or `private` (joined by `code` or id only, listed to admins only). */
    visibility: p.string().length(8).$type<Visibility>().default('public'),
    /** A private session's join code (see sessionSeats.ts); null for a public one. */
    code: p.string().length(8).nullable().unique(),
    /**
     * Ownership (src/ownership/SessionOwnership.ts): the number of times a room has taken this session
     * over, which every write of a room must still match (its fencing token), and the process of the
     * room that owns it now (null: nobody; its lease is that process's, in `server_process`).
     */
    ownerEpoch: p.integer().default(0),
    ownerProcess: p.string().length(64).nullable(),
    /** Set by a room that wants this session while another process owns it: a process cut off from Redis hands it over. */
    handoverRequestedAt: p.datetime().nullable(),
    players: () => p.oneToMany(Player).mappedBy('session'),
    clientSeats: () => p.oneToMany(ClientSeat).mappedBy('session'),
  },
});
export type GameSession = InferEntity<typeof GameSession>;
