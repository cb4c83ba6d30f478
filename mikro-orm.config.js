// The MikroORM CLI's configuration (`npm run migration:create`, `npm run migration:check`, and any
// `npx mikro-orm …` command): DATABASE_URL or DATA_DIR from the environment and .env files, as the
// server reads them (see src/database/cliOrmConfig.ts). JavaScript, so that the CLI needs no
// TypeScript loader: Node strips the types of the .ts modules it imports (package.json
// `mikro-orm.preferTs: false`).
import { ConfigError, loadConfig } from './src/config.ts';
import { cliOrmConfig } from './src/database/cliOrmConfig.ts';
import { StartupFailure } from './src/startupFailure.ts';

export default configOrExit();

/**
 * A bad setting, or a data folder a server holds, in one line: the CLI itself would print its
 * usage and a stack trace.
 */
function configOrExit() {
  try {
    return cliOrmConfig(loadConfig().database);
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof StartupFailure)) throw error;
    console.error(`mikro-orm: ${error.message}`);
    process.exit(1);
  }
}
