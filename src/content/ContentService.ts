import type { Database } from '../database/openDatabase.ts';
import { Equipment, GameEntity, Skill, Special } from '../database/entities/index.ts';
import { NotFoundError } from '../domainErrors.ts';
import type { ParsedContent } from './parseContentCsv.ts';

export type EntityType = 'player' | 'enemy' | 'npc';

export type EntitySummary = {
  id: string;
  name: string;
  type: EntityType;
  age: string | null;
  role: string | null;
  backstoryPath: string | null;
  portraitPath: string | null;
};

export type EntityDetails = EntitySummary & {
  equipment: { id: string; name: string; description: string }[];
  skills: { id: string; name: string; description: string }[];
  specials: { id: string; description: string }[];
};

/** Reference game content: loading it from the CSV seed and reading it back. */
export class ContentService {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  /**
   * Upserts every row by id in one transaction: re-running never duplicates, never deletes rows
   * that are not in the files (an operator's own additions survive), and a failure loads nothing.
   */
  async load(content: ParsedContent): Promise<{ entities: number; equipment: number; skills: number; specials: number }> {
    await this.#database.em.fork().transactional(async (em) => {
      if (content.entities.length > 0) await em.upsertMany(GameEntity, content.entities);
      const byEntity = <Row extends { entityId: string }>({ entityId, ...rest }: Row) => ({ ...rest, entity: entityId });
      if (content.equipment.length > 0) await em.upsertMany(Equipment, content.equipment.map(byEntity));
      if (content.skills.length > 0) await em.upsertMany(Skill, content.skills.map(byEntity));
      if (content.specials.length > 0) await em.upsertMany(Special, content.specials.map(byEntity));
    });
    return {
      entities: content.entities.length,
      equipment: content.equipment.length,
      skills: content.skills.length,
      specials: content.specials.length,
    };
  }

  async listEntities(filter: { type?: EntityType | undefined }): Promise<EntitySummary[]> {
    const entities = await this.#database.em.fork().find(GameEntity, filter.type ? { type: filter.type } : {}, { orderBy: { id: 'asc' } });
    return entities.map(toSummary);
  }

  async getEntity(id: string): Promise<EntityDetails> {
    const entity = await this.#database.em.fork().findOne(GameEntity, { id }, { populate: ['equipment', 'skills', 'specials'] });
    if (!entity) {
      throw new NotFoundError('entity_not_found', `Entity ${id} not found`);
    }
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    return {
      ...toSummary(entity),
      equipment: entity.equipment
        .getItems()
        .map(({ id, name, description }) => ({ id, name, description }))
        .sort(byId),
      skills: entity.skills
        .getItems()
        .map(({ id, name, description }) => ({ id, name, description }))
        .sort(byId),
      specials: entity.specials
        .getItems()
        .map(({ id, description }) => ({ id, description }))
        .sort(byId),
    };
  }
}

function toSummary(entity: GameEntity): EntitySummary {
  return {
    id: entity.id,
    name: entity.name,
    type: entity.type,
    age: entity.age ?? null,
    role: entity.role ?? null,
    backstoryPath: entity.backstoryPath ?? null,
    portraitPath: entity.portraitPath ?? null,
  };
}
