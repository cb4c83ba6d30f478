import { p } from '@mikro-orm/core';
import { GameEntity } from './GameEntity.ts';

/**
 * The columns every detail of an entity has (its equipment, skills and specials): an id of its own
 * from the CSV file, the entity it belongs to (deleted with it), and what it is.
 */
export const entityDetailProperties = {
  id: p.string().length(64).primary(),
  entity: () => p.manyToOne(GameEntity).deleteRule('cascade').index(),
  description: p.text(),
};
