import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Tile } from './Tile.ts';
import { GameSession } from './GameSession.ts';

/** A generated maze: the seed and size reproduce it; its tiles are stored for queries and fog of war. */
export const Labyrinth = defineEntity({
  name: 'Labyrinth',
  tableName: 'labyrinth',
  properties: {
    id: p.uuid().primary(),
    size: p.smallint(),
    seed: p.string().length(128),
    startX: p.smallint(),
    startY: p.smallint(),
    exitX: p.smallint(),
    exitY: p.smallint(),
    createdAt: p.datetime().onCreate(() => new Date()),
    tiles: () => p.oneToMany(Tile).mappedBy('labyrinth'),
    sessions: () => p.oneToMany(GameSession).mappedBy('labyrinth'),
  },
});
export type Labyrinth = InferEntity<typeof Labyrinth>;
