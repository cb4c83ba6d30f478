import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { defineConfig } from '@mikro-orm/postgresql';
import { PGliteDialect } from 'kysely';
import { lockDataFolder } from './dataFolderLock.ts';
import { ormSettings } from './ormSettings.ts';

/**
 * The ORM configuration of a short-lived tool, the MikroORM CLI (mikro-orm.config.js): the server's
 * entities and migrations on the server's database, the PostgreSQL in `databaseUrl` or else the
 * PGlite folder in `dataDir`. The server runs PGlite in a worker thread behind a socket, which a
 * long-running process needs; a tool that runs one command and exits opens it in its own process
 * (kysely's PGlite dialect, closed with the ORM), with the same PostgreSQL driver and PGlite,
 * after claiming the folder as the server does (dataFolderLock.ts).
 */
export function cliOrmConfig(target: { databaseUrl?: string | undefined; dataDir: string }) {
  if (target.databaseUrl) {
    return defineConfig({ ...ormSettings(), clientUrl: target.databaseUrl });
  }
  const dataDir = resolve(target.dataDir);
  // Claimed before the command starts, and given up when its process exits.
  lockDataFolder(dataDir);
  return defineConfig({ ...ormSettings(), dbName: 'postgres', driverOptions: new PGliteDialect({ pglite: () => PGlite.create(dataDir) }) });
}
