import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { GameEntity } from './GameEntity.ts';

/** Something an entity knows how to do, seeded from `seed/skills.csv`. */
export const Skill = defineEntity({
  name: 'Skill',
  tableName: 'skill',
  properties: {
    id: p.string().length(64).primary(),
    entity: () => p.manyToOne(GameEntity).deleteRule('cascade').index(),
    name: p.string().length(128),
    description: p.text(),
  },
});
export type Skill = InferEntity<typeof Skill>;
