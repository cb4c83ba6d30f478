// `npm run db:reset -- --yes`: development only. Drops every table of the configured database and
// re-applies the migrations, leaving an empty schema. The server itself never drops anything.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { createLogger, logFormatFor } from '../logger.ts';
import { reportStartupFailure } from '../startupFailure.ts';
import { closeAllDatabases, openDatabase } from './openDatabase.ts';

const { values } = parseArgs({ options: { yes: { type: 'boolean', default: false } } });
const config = loadConfig();
const logger = createLogger(config.server.logLevel, logFormatFor(config.server.nodeEnv));
const target = config.database.databaseUrl ? 'the PostgreSQL database in DATABASE_URL' : `the PGlite database in ${config.database.dataDir}`;

if (config.server.nodeEnv === 'production') {
  logger.error('refusing to reset a database with NODE_ENV=production');
  process.exit(1);
}
if (!values.yes) {
  console.error(`This deletes every session, labyrinth and player in ${target}.\nRun again with --yes to do it.`);
  process.exit(1);
}
const options = { ...config.database, logger };
try {
  // Refused, in one line, when a server holds the data folder or the database cannot be reached.
  await (await openDatabase(options)).schema.drop({ dropMigrationsTable: true });
  // Reopening re-applies the migrations from scratch (the migrator caches what it saw applied).
  await closeAllDatabases();
  await openDatabase(options);
  logger.info({ target }, 'database reset: all tables dropped and migrations re-applied');
  await closeAllDatabases();
} catch (error) {
  reportStartupFailure(logger, error);
  process.exit(1);
}
