import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Labyrinth } from './Labyrinth.ts';

/** One cell of a labyrinth. Rows are written in bulk when a session is created. */
export const Tile = defineEntity({
  name: 'Tile',
  tableName: 'tile',
  uniques: [{ properties: ['labyrinth', 'x', 'y'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    // ON DELETE CASCADE in the database: removing a labyrinth must not load its 4096 tiles first.
    labyrinth: () => p.manyToOne(Labyrinth).deleteRule('cascade'),
    x: p.smallint(),
    y: p.smallint(),
    type: p.string().length(16),
    /** Open sides in the fixed order N, E, S, W. */
    openDirections: p.array(),
    revealed: p.boolean().default(false),
  },
});
export type Tile = InferEntity<typeof Tile>;
