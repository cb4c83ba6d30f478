import { join } from 'node:path';
import { Migrator } from '@mikro-orm/migrations';
import type { Logger } from '../logger.ts';
import { allEntities } from './entities/index.ts';

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
      // Every Migration<time>_<name> file of the folder beside this module, applied in name (so time)
      // order: src/database/migrations/*.ts when run from the sources, dist/…/*.js when built.
      // `npm run migration:create` writes new ones there, in TypeScript.
      path: join(import.meta.dirname, 'migrations'),
      glob: 'Migration*.{js,ts}',
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
