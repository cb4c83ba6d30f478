import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { entityDetailProperties } from './entityDetail.ts';

/** Something an entity knows how to do, seeded from `seed/skills.csv`. */
export const Skill = defineEntity({
  name: 'Skill',
  tableName: 'skill',
  properties: { ...entityDetailProperties, name: p.string().length(128) },
});
export type Skill = InferEntity<typeof Skill>;
