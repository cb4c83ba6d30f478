import { Migrator } from '@mikro-orm/migrations';
import type { Logger } from '../logger.ts';
import { allEntities } from './entities/index.ts';
import { allMigrations } from './migrations/index.ts';

export type OrmSettingsOptions = {
  /** Where MikroORM's own messages go (SQL with `logQueries`); its default logger when unset. */
  log?: Logger;
  logQueries?: boolean;
};

/**
 * What every ORM of this project shares, whatever database it connects to: the entities and the
 * committed migrations. The server's (openDatabase.ts) and the MikroORM CLI's (mikro-orm.config.js).
 */
export function ormSettings({ log, logQueries = false }: OrmSettingsOptions = {}) {
  return {
    entities: allEntities,
    extensions: [Migrator],
    migrations: {
      // Applied from this explicit list (index.ts), so the same list runs from src/ and from dist/.
      migrationsList: allMigrations,
      // `npm run migration:create` writes new migrations here, in TypeScript (add each to index.ts).
      path: 'src/database/migrations',
      emit: 'ts' as const,
      // The database itself is compared with the entities: no snapshot file to keep in step.
      snapshot: false,
      silent: true,
    },
    debug: logQueries,
    ...(log && { logger: (message: string) => log.debug(message) }),
    // Entities are plain `defineEntity` schemas: no reflection or folder discovery needed.
    discovery: { warnWhenNoEntities: true },
  };
}
