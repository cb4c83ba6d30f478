import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { entityDetailProperties } from './entityDetail.ts';

/** An entity's unique trait, seeded from `seed/specials.csv`. */
export const Special = defineEntity({
  name: 'Special',
  tableName: 'special',
  properties: entityDetailProperties,
});
export type Special = InferEntity<typeof Special>;
