import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { entityDetailProperties } from './entityDetail.ts';

/** An item an entity carries, seeded from `seed/equipment.csv`. */
export const Equipment = defineEntity({
  name: 'Equipment',
  tableName: 'equipment',
  properties: { ...entityDetailProperties, name: p.string().length(128) },
});
export type Equipment = InferEntity<typeof Equipment>;
