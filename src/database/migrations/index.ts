import { Migration20261121000000InitialSchema } from './Migration20261121000000InitialSchema.ts';
import { Migration20261121010000ClientIdentity } from './Migration20261121010000ClientIdentity.ts';
import { Migration20261121020000Gameplay } from './Migration20261121020000Gameplay.ts';
import { Migration20261121030000AuditTrailAndFog } from './Migration20261121030000AuditTrailAndFog.ts';
import { Migration20261122000000SeatsAndVisibility } from './Migration20261122000000SeatsAndVisibility.ts';
import { Migration20261201000000AuditTrailRetention } from './Migration20261201000000AuditTrailRetention.ts';
import { Migration20261206000000SessionOwnership } from './Migration20261206000000SessionOwnership.ts';

/**
 * Every migration, oldest first. Listed explicitly (no folder scanning) so the same list runs from
 * src/ under type stripping and from dist/ in production. Add new ones at the end; never edit one
 * that has shipped.
 */
export const allMigrations = [
  Migration20261121000000InitialSchema,
  Migration20261121010000ClientIdentity,
  Migration20261121020000Gameplay,
  Migration20261121030000AuditTrailAndFog,
  Migration20261122000000SeatsAndVisibility,
  Migration20261201000000AuditTrailRetention,
  Migration20261206000000SessionOwnership,
];
