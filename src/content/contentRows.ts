import { z } from 'zod';

// Row shapes of the four reference content CSV files. The schemas take a record
// keyed by the CSV column names (snake_case, as the old seeding system wrote
// them) and produce camelCase rows for TypeScript code. Every cell arrives as a
// string, so the only failures are the checks below; their messages are phrased
// to follow the column name ("name must not be empty").

/** Kinds of entity a labyrinth game knows about. */
export const entityTypes = ['player', 'enemy', 'npc'] as const;
export type EntityType = (typeof entityTypes)[number];

/** Columns of `entities.csv`, in the required order. */
export const entityColumns = ['id', 'name', 'type', 'age', 'role', 'backstory_path', 'portrait_path'] as const;
/** Columns of `equipment.csv`, in the required order. */
export const equipmentColumns = ['id', 'entity_id', 'name', 'description'] as const;
/** Columns of `skills.csv`, in the required order. */
export const skillColumns = ['id', 'entity_id', 'name', 'description'] as const;
/** Columns of `specials.csv`, in the required order. */
export const specialColumns = ['id', 'entity_id', 'description'] as const;

/** A playable character, enemy or non-player character. */
export type EntityRow = {
  id: string;
  name: string;
  type: EntityType;
  /** Free text: a number, a phrase, or an em dash "—" when unknown. */
  age: string;
  role: string;
  /** Relative to the content directory, e.g. `backstories/hero_mira.md`; null when absent. */
  backstoryPath: string | null;
  /** Relative to the content directory, e.g. `portraits/hero_mira.png`; null when absent. */
  portraitPath: string | null;
};

/** An item carried by an entity. */
export type EquipmentRow = { id: string; entityId: string; name: string; description: string };

/** An ability an entity can use during play. */
export type SkillRow = { id: string; entityId: string; name: string; description: string };

/** A unique once-per-game trait of an entity; it has no name of its own. */
export type SpecialRow = { id: string; entityId: string; description: string };

const requiredText = z.string().trim().min(1, { error: 'must not be empty' });

const freeText = z.string().trim();

// Asset paths end up joined to a directory on disk, so refuse anything that
// could point outside it (absolute paths, drive letters, backslashes, "..").
function isContainedRelativePath(path: string): boolean {
  if (path === '') return true;
  if (path.startsWith('/') || path.includes('\\') || /^[A-Za-z]:/.test(path)) return false;
  return !path.split('/').includes('..');
}

const optionalAssetPath = freeText
  .refine(isContainedRelativePath, { error: 'must be a relative path inside the content directory' })
  .transform((path) => (path === '' ? null : path));

const entityType = z.enum(entityTypes, {
  error: (issue) => `must be one of ${entityTypes.join(', ')} (got ${JSON.stringify(issue.input)})`,
});

/** Validates one `entities.csv` record and converts it to an {@link EntityRow}. */
export const entityRowSchema = z
  .object({
    id: requiredText,
    name: requiredText,
    type: freeText.pipe(entityType),
    age: freeText,
    role: freeText,
    backstory_path: optionalAssetPath,
    portrait_path: optionalAssetPath,
  })
  .transform((row): EntityRow => ({
    id: row.id,
    name: row.name,
    type: row.type,
    age: row.age,
    role: row.role,
    backstoryPath: row.backstory_path,
    portraitPath: row.portrait_path,
  }));

/** Validates one `equipment.csv` record and converts it to an {@link EquipmentRow}. */
export const equipmentRowSchema = z
  .object({ id: requiredText, entity_id: requiredText, name: requiredText, description: requiredText })
  .transform((row): EquipmentRow => ({ id: row.id, entityId: row.entity_id, name: row.name, description: row.description }));

/** Validates one `skills.csv` record and converts it to a {@link SkillRow}. */
export const skillRowSchema = z
  .object({ id: requiredText, entity_id: requiredText, name: requiredText, description: requiredText })
  .transform((row): SkillRow => ({ id: row.id, entityId: row.entity_id, name: row.name, description: row.description }));

/** Validates one `specials.csv` record and converts it to a {@link SpecialRow}. */
export const specialRowSchema = z
  .object({ id: requiredText, entity_id: requiredText, description: requiredText })
  .transform((row): SpecialRow => ({ id: row.id, entityId: row.entity_id, description: row.description }));
