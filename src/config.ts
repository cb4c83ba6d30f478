import { randomBytes } from 'node:crypto';
import dotenv from 'dotenv';
import { z } from 'zod';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** A web origin as browsers send it: scheme, host and an optional port, nothing after. */
const ORIGIN_PATTERN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9a-fA-F:]+\](:\d{1,5})?$/;

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
  FLUSH_INTERVAL_MS: z.coerce.number().int().min(1).max(100).default(50),
  PATCH_INTERVAL_MS: z.coerce.number().int().min(10).max(1000).default(50),
  OVERLOAD_DELAY_MS: z.coerce.number().int().min(20).max(10_000).default(150),
  CLIENT_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  PUBLIC_ADDRESS: z.string().optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(15),
  ALLOWED_ORIGINS: z
    .string()
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter((origin) => origin.length > 0))
    .pipe(z.array(z.union([z.literal('*'), z.string().regex(ORIGIN_PATTERN, 'each must be scheme://host[:port], e.g. https://game.example.com')])))
    .default([]),
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d{1,2}|[\w.:/, -]+)$/, 'must be true, false, a number of proxies, or addresses/subnets (e.g. loopback, 10.0.0.0/8)')
    .default('false'),
  MAX_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(64),
  SESSION_CREATES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(10),
  PREVIEWS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(120),
  JOINS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  MAX_SESSIONS: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
  // Set by PM2, not by operators: this process's number, and how many instances PM2 runs.
  NODE_APP_INSTANCE: z.coerce.number().int().min(0).default(0),
  instances: z.coerce.number().int().min(0).optional(),
});

/** What `{port}` and `{instance}` in PUBLIC_ADDRESS stand for. */
const PUBLIC_ADDRESS_PLACEHOLDERS = /\{(port|instance)\}/g;

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
  /** How long readiness, positions and revealed tiles wait to be written together (what a crash may lose). */
  flushIntervalMs: number;
  /** How often each room sends its state's changes to its clients. */
  patchIntervalMs: number;
  /** Event-loop delay (p99 over 2 s) past which the process counts as overloaded and refuses new joins. */
  overloadDelayMs: number;
  /** Key that signs client tokens; when unset one is generated once and kept in the database. */
  clientTokenSecret: string | undefined;
  /** PM2's NODE_APP_INSTANCE (0 outside PM2); this process listens on `port + instance`. */
  instance: number;
  /**
   * Redis for Colyseus presence and matchmaking, shared by every process; unset means a single
   * process with in-memory presence and matchmaking.
   */
  redisUrl: string | undefined;
  /**
   * Where clients reach this very process (`host[:port][/path]`, no scheme), handed to the SDK in
   * each seat reservation; `{port}` and `{instance}` are already filled in.
   */
  publicAddress: string | undefined;
  /** A read-only credential for `/metrics` (Prometheus), besides the admin password. */
  metricsToken: string | undefined;
  /** After SIGTERM/SIGINT, exit anyway after this many seconds (stay below PM2's kill_timeout). */
  shutdownTimeoutSeconds: number;
  /**
   * Web origins (besides the server's own, and localhost in development) whose pages may call the
   * API with CORS and open room and push sockets; `*` allows any.
   */
  allowedOrigins: string[];
  /** Express's `trust proxy`: which proxies' X-Forwarded-For to believe for the client address. */
  trustProxy: boolean | number | string;
  /** Open WebSockets (rooms and /ws/{id} together) one client address may hold. */
  maxSocketsPerAddress: number;
  /** Per client address and minute: session creations (both APIs), maze previews, joins (HTTP and room). */
  rateLimits: { sessionCreates: number; previews: number; joins: number };
  /** Sessions that may exist at once; creating more is refused (503) until some are deleted. */
  maxSessions: number;
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
  requireSharedStateForSeveralProcesses(values);
  const publicAddress = values.PUBLIC_ADDRESS && resolvePublicAddress(values.PUBLIC_ADDRESS, values.PORT + values.NODE_APP_INSTANCE, values.NODE_APP_INSTANCE);
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
    flushIntervalMs: values.FLUSH_INTERVAL_MS,
    patchIntervalMs: values.PATCH_INTERVAL_MS,
    overloadDelayMs: values.OVERLOAD_DELAY_MS,
    clientTokenSecret: values.CLIENT_TOKEN_SECRET,
    instance: values.NODE_APP_INSTANCE,
    redisUrl: values.REDIS_URL,
    publicAddress,
    metricsToken: values.METRICS_TOKEN,
    shutdownTimeoutSeconds: values.SHUTDOWN_TIMEOUT_SECONDS,
    allowedOrigins: values.ALLOWED_ORIGINS,
    trustProxy: trustProxySetting(values.TRUST_PROXY),
    maxSocketsPerAddress: values.MAX_SOCKETS_PER_ADDRESS,
    rateLimits: {
      sessionCreates: values.SESSION_CREATES_PER_MINUTE,
      previews: values.PREVIEWS_PER_MINUTE,
      joins: values.JOINS_PER_MINUTE,
    },
    maxSessions: values.MAX_SESSIONS,
  };
}

/**
 * Several processes need what they share to live outside them: matchmaking and presence in Redis,
 * data in PostgreSQL (PGlite is one process's embedded database), and an address per process so
 * that clients reach the process holding their room.
 */
function requireSharedStateForSeveralProcesses(values: z.output<typeof environmentSchema>): void {
  // PM2 says how many instances it runs; a NODE_APP_INSTANCE above 0 alone means more than one.
  const pm2Instances = Math.max(values.instances ?? 1, values.NODE_APP_INSTANCE + 1);
  if (pm2Instances > 1 && !values.REDIS_URL) {
    const count = values.instances === undefined ? `at least ${pm2Instances}` : String(pm2Instances);
    throw new ConfigError(
      `PM2 runs ${count} instances but REDIS_URL is not set, so they would not share rooms: ` +
        'set REDIS_URL and DATABASE_URL (PostgreSQL), or run one instance (INSTANCES=1 pm2 start ecosystem.config.js)',
    );
  }
  if (values.REDIS_URL && !values.DATABASE_URL) {
    throw new ConfigError(
      'REDIS_URL is set (several processes) but DATABASE_URL is not: the embedded PGlite database serves one ' +
        'process only. Set DATABASE_URL to a PostgreSQL database shared by every process, or unset REDIS_URL ' +
        'and run one process (INSTANCES=1 under PM2)',
    );
  }
  if (values.REDIS_URL && !values.ADMIN_PASSWORD) {
    throw new ConfigError(
      'REDIS_URL is set (several processes) but ADMIN_PASSWORD is not: each process would generate a password of ' +
        'its own, and an admin request would work on one process and fail on the next. Set one ADMIN_PASSWORD for all of them',
    );
  }
  if (values.REDIS_URL && !values.PUBLIC_ADDRESS) {
    throw new ConfigError(
      'REDIS_URL is set (several processes) but PUBLIC_ADDRESS is not: a room lives in one process and its ' +
        'clients must reach that process. Set PUBLIC_ADDRESS, e.g. game.example.com/{port} (see README, Production)',
    );
  }
}

/** Fills in `{port}` and `{instance}`, and checks the result is something the SDK can connect to. */
function resolvePublicAddress(template: string, port: number, instance: number): string {
  const problem = (reason: string) => new ConfigError(`Invalid configuration: PUBLIC_ADDRESS: ${reason}`);
  if (template.includes('://')) {
    throw problem('leave out the scheme (the SDK picks ws:// or wss:// itself), e.g. game.example.com/{port}');
  }
  const unknown = template.replace(PUBLIC_ADDRESS_PLACEHOLDERS, '').match(/\{[^}]*\}/);
  if (unknown) throw problem(`unknown placeholder ${unknown[0]}; use {port} or {instance}`);
  const address = template.replace(PUBLIC_ADDRESS_PLACEHOLDERS, (_, name: string) => String(name === 'port' ? port : instance));
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~-]+)*$/.test(address)) {
    throw problem(`"${address}" is not host[:port][/path] (letters, digits, . _ ~ - only; no trailing slash)`);
  }
  return address;
}

/** TRUST_PROXY as Express's `trust proxy` takes it: a boolean, a hop count, or addresses and subnets. */
function trustProxySetting(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** `FOO=` in a .env file means "not set", not "set to the empty string". */
function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]));
}
