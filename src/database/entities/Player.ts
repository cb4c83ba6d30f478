import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { GameSession } from './GameSession.ts';

/** A seat in a game session: who plays, where they stand and whether they are ready. */
export const Player = defineEntity({
  name: 'Player',
  tableName: 'player',
  uniques: [{ properties: ['session', 'clientId'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    session: () => p.manyToOne(GameSession).deleteRule('cascade'),
    clientId: p.string().length(128),
    username: p.string().length(64).nullable(),
    playerX: p.smallint(),
    playerY: p.smallint(),
    ready: p.boolean().default(false),
    joinedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Player = InferEntity<typeof Player>;
