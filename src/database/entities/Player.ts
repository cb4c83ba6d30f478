import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { GameEntity } from './GameEntity.ts';
import { GameSession } from './GameSession.ts';

/** A seat in a game session: who plays, where they stand and whether they are ready. */
export const Player = defineEntity({
  name: 'Player',
  tableName: 'player',
  // A character is unique within a session (NULLs, players without one, never collide).
  uniques: [{ properties: ['session', 'clientId'] }, { properties: ['session', 'character'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    session: () => p.manyToOne(GameSession).deleteRule('cascade'),
    clientId: p.string().length(128),
    username: p.string().length(64).nullable(),
    playerX: p.smallint(),
    playerY: p.smallint(),
    ready: p.boolean().default(false),
    /** The player-type entity this player plays, picked in the lobby. */
    character: () => p.manyToOne(GameEntity).nullable().deleteRule('set null'),
    joinedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Player = InferEntity<typeof Player>;
