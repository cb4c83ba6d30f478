import { resolve } from 'node:path';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig as definePgliteConfig } from '@mikro-orm/pglite';
import { defineConfig as definePostgreSqlConfig } from '@mikro-orm/postgresql';
import type { Logger } from '../logger.ts';
import { allEntities } from './entities/index.ts';
import { allMigrations } from './migrations/index.ts';

export type DatabaseTarget = {
  /** PostgreSQL connection string; when unset the embedded PGlite database in `dataDir` is used. */
  databaseUrl?: string | undefined;
  dataDir: string;
};

export type ConfigExtras = {
  /** Where MikroORM's own messages go (SQL with `logQueries`); its default logger when unset. */
  log?: Logger;
  logQueries?: boolean;
};

/** Settings every database shares: the entities, the committed migrations, how they are created. */
function common({ log, logQueries = false }: ConfigExtras) {
  return {
    entities: allEntities,
    extensions: [Migrator],
    migrations: {
      // Applied from this explicit list (index.ts), so the same list runs from src/ and from dist/.
      migrationsList: allMigrations,
      // `npm run migration:create` writes new migrations here, in TypeScript (add each to index.ts).
      path: 'src/database/migrations',
      emit: 'ts' as const,
      // The database itself is compared with the entities; no snapshot file to keep in step.
      snapshot: false,
      silent: true,
    },
    debug: logQueries,
    ...(log && { logger: (message: string) => log.debug(message) }),
    // Entities are plain `defineEntity` schemas: no reflection or folder discovery needed.
    discovery: { warnWhenNoEntities: true },
  };
}

export function pgliteConfig(dataDir: string, extras: ConfigExtras = {}) {
  return definePgliteConfig({ ...common(extras), dbName: resolve(dataDir) });
}

export function postgreSqlConfig(databaseUrl: string, extras: ConfigExtras = {}) {
  return definePostgreSqlConfig({ ...common(extras), clientUrl: databaseUrl });
}

/**
 * The ORM configuration of the configured database: what the server opens (openDatabase.ts) and
 * what the MikroORM CLI works on (mikro-orm.config.js).
 */
export function databaseConfig(target: DatabaseTarget, extras: ConfigExtras = {}) {
  return target.databaseUrl ? postgreSqlConfig(target.databaseUrl, extras) : pgliteConfig(target.dataDir, extras);
}
