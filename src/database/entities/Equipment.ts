import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { GameEntity } from './GameEntity.ts';

/** An item an entity carries, seeded from `seed/equipment.csv`. */
export const Equipment = defineEntity({
  name: 'Equipment',
  tableName: 'equipment',
  properties: {
    id: p.string().length(64).primary(),
    entity: () => p.manyToOne(GameEntity).deleteRule('cascade').index(),
    name: p.string().length(128),
    description: p.text(),
  },
});
export type Equipment = InferEntity<typeof Equipment>;
