import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { GameEntity } from './GameEntity.ts';

/** An entity's unique trait, seeded from `seed/specials.csv`. */
export const Special = defineEntity({
  name: 'Special',
  tableName: 'special',
  properties: {
    id: p.string().length(64).primary(),
    entity: () => p.manyToOne(GameEntity).deleteRule('cascade').index(),
    description: p.text(),
  },
});
export type Special = InferEntity<typeof Special>;
