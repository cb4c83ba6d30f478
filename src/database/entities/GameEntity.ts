import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Equipment } from './Equipment.ts';
import { Skill } from './Skill.ts';
import { Special } from './Special.ts';

/** Reference game content (a character, enemy or NPC), seeded from `seed/entities.csv`. */
export const GameEntity = defineEntity({
  name: 'GameEntity',
  tableName: 'entity',
  properties: {
    id: p.string().length(64).primary(),
    name: p.string().length(128),
    type: p.enum(['player', 'enemy', 'npc'] as const),
    age: p.string().length(64).nullable(),
    role: p.string().length(128).nullable(),
    backstoryPath: p.string().length(255).nullable(),
    portraitPath: p.string().length(255).nullable(),
    equipment: () => p.oneToMany(Equipment).mappedBy('entity'),
    skills: () => p.oneToMany(Skill).mappedBy('entity'),
    specials: () => p.oneToMany(Special).mappedBy('entity'),
  },
});
export type GameEntity = InferEntity<typeof GameEntity>;
