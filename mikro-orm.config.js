// The MikroORM CLI's configuration (`npm run migration:create`, `npm run migration:check`, and any
// `npx mikro-orm …` command): DATABASE_URL or DATA_DIR from the environment and .env files, as the
// server reads them (see src/database/cliOrmConfig.ts). JavaScript, so that the CLI needs no
// TypeScript loader: Node strips the types of the .ts modules it imports (package.json
// `mikro-orm.preferTs: false`).
import { loadConfig } from './src/config.ts';
import { cliOrmConfig } from './src/database/cliOrmConfig.ts';

export default cliOrmConfig(loadConfig().database);
