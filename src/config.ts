import { randomBytes } from 'node:crypto';
import dotenv from 'dotenv';
import { z } from 'zod';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** Every setting the server reads, with its default. `.env.example` documents each one. */
const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(2567),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  LOG_DATABASE_QUERIES: booleanFromEnv.default(false),
  RECONNECT_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  CLIENT_AUTH: z.enum(['token', 'trust']).default('token'),
  COUNTDOWN_SECONDS: z.coerce.number().min(0).max(60).default(3),
  MOVE_COOLDOWN_MS: z.coerce.number().int().min(0).max(10_000).default(150),
  CLIENT_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
});

export type Config = {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  logLevel: string;
  /** PGlite data folder, used when `databaseUrl` is unset. */
  dataDir: string;
  /** PostgreSQL connection string; unset means the embedded PGlite database. */
  databaseUrl: string | undefined;
  adminPassword: string;
  /** True when no ADMIN_PASSWORD was configured and a random one was made for this process. */
  adminPasswordGenerated: boolean;
  logDatabaseQueries: boolean;
  /** How long a dropped player's seat and readiness wait for the SDK to reconnect. */
  reconnectSeconds: number;
  /**
   * `token`: a clientId belongs to whoever first used it, proven by the clientToken the server gave
   * them. `trust`: any caller may act as any clientId, like the old system (for migrations only).
   */
  clientAuth: 'token' | 'trust';
  /** Seconds from everyone being ready to play starting (fractions allowed). */
  countdownSeconds: number;
  /** Minimum milliseconds between two moves of one player. */
  moveCooldownMs: number;
  /** Key that signs client tokens; when unset one is generated once and kept in the database. */
  clientTokenSecret: string | undefined;
};

/** A configuration problem, reported with the offending variable's name. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads configuration from the environment. `.env.<NODE_ENV>` and `.env` fill in variables that are
 * not already set (real environment variables always win), so operators never edit code.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  if (env === process.env) {
    dotenv.config({ path: [`.env.${env.NODE_ENV ?? 'development'}`, '.env'], quiet: true });
  }
  const parsed = environmentSchema.safeParse(withoutEmptyValues(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const values = parsed.data;
  return {
    nodeEnv: values.NODE_ENV,
    port: values.PORT,
    logLevel: values.LOG_LEVEL,
    dataDir: values.DATA_DIR,
    databaseUrl: values.DATABASE_URL,
    adminPassword: values.ADMIN_PASSWORD ?? randomBytes(18).toString('base64url'),
    adminPasswordGenerated: values.ADMIN_PASSWORD === undefined,
    logDatabaseQueries: values.LOG_DATABASE_QUERIES,
    reconnectSeconds: values.RECONNECT_SECONDS,
    clientAuth: values.CLIENT_AUTH,
    countdownSeconds: values.COUNTDOWN_SECONDS,
    moveCooldownMs: values.MOVE_COOLDOWN_MS,
    clientTokenSecret: values.CLIENT_TOKEN_SECRET,
  };
}

/** `FOO=` in a .env file means "not set", not "set to the empty string". */
function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]));
}
