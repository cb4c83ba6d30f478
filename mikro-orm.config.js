// The MikroORM CLI's configuration (`npm run migration:create`, `npm run migration:check`, and any
// `npx mikro-orm …` command): the server's own database (DATABASE_URL, else the PGlite folder in
// DATA_DIR, read from the environment and .env files like the server does) with its entities and
// migrations. It is JavaScript so that the CLI needs no TypeScript loader: Node strips the types of
// the .ts modules it imports (package.json `mikro-orm.preferTs: false`).
import { loadConfig } from './src/config.ts';
import { databaseConfig } from './src/database/databaseConfig.ts';

export default databaseConfig(loadConfig());
