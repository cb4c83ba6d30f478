import { createPublicKey, randomBytes } from 'node:crypto';
import dotenv from 'dotenv';
import { z } from 'zod';

const booleanFromEnv = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((value) => value === 'true' || value === '1' || value === 'yes');

/** A web origin as browsers send it: scheme, host and an optional port, nothing after. */
const ORIGIN_PATTERN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9a-fA-F:]+\](:\d{1,5})?$/;

/** Signature algorithms a token may use (jose's names): HMAC ones with a shared secret, the others with public keys. Never `none`. */
const SECRET_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
const PUBLIC_KEY_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;

/** What `{port}` and `{instance}` in PUBLIC_ADDRESS stand for. */
const PUBLIC_ADDRESS_PLACEHOLDERS = /\{(port|instance)\}/g;

/** An environment variable's name as a property: `RECONNECT_SECONDS` → `reconnectSeconds`. */
type CamelCase<Name extends string> = Name extends `${infer Word}_${infer Rest}` ? `${Lowercase<Word>}${Capitalize<CamelCase<Rest>>}` : Lowercase<Name>;

/** A section's settings, each under its variable's name in camelCase. */
type Settings<Shape extends z.ZodRawShape> = { [Name in keyof Shape & string as CamelCase<Name>]: z.output<Shape[Name]> };

function camelCase(name: string): string {
  return name.toLowerCase().replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * A group of settings that one consumer takes whole, keyed by environment variable, so that each
 * variable's name, validation, default and documentation are written once, here; the section's
 * type and property names (`config.room.reconnectSeconds`) follow from it.
 */
function section<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object(shape).transform((values) => Object.fromEntries(Object.entries(values).map(([name, value]) => [camelCase(name), value])) as Settings<Shape>);
}

/** The AUTH_* settings, checked together by tokenSettings (below). */
const accountSettings = {
  /** The identity provider's JSON Web Key Set (e.g. `https://example.eu.auth0.com/.well-known/jwks.json`): keys picked by `kid`, cached, fetched again for a new `kid`. */
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** Or: the secret the game's own backend signs tokens with (HS256), at least 32 characters. */
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Or: the PEM public key (`-----BEGIN PUBLIC KEY-----`, `\n` escapes allowed) whose private key signs the tokens. */
  AUTH_JWT_PUBLIC_KEY: z
    .string()
    .transform((pem) => pem.replaceAll('\\n', '\n'))
    .optional(),
  /** The `iss` every token must carry (the provider's issuer URL). Required with a key. */
  AUTH_ISSUER: z.string().min(1).optional(),
  /** The `aud` a token must carry (this game's API or client id; comma-separated for several). Required with a key. */
  AUTH_AUDIENCE: commaSeparated(z.string()).optional(),
  /** The signature algorithms accepted: HS256 with a secret, RS256 with public keys, unless set (never `none`). */
  AUTH_ALGORITHMS: commaSeparated(
    z.enum([...SECRET_ALGORITHMS, ...PUBLIC_KEY_ALGORITHMS], { error: `each must be one of ${[...SECRET_ALGORITHMS, ...PUBLIC_KEY_ALGORITHMS].join(', ')}` }),
  ).optional(),
  /** Seconds of clock difference tolerated on `exp` and `nbf`. */
  AUTH_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  /** Whether guests (a self-chosen clientId proven by its clientToken) may play: by default only when no key is set. */
  AUTH_GUESTS: booleanFromEnv.optional(),
  /** `claim=value`: tokens whose claim holds the value (or a list or space-separated string containing it) are admins, e.g. `roles=admin`. */
  AUTH_ADMIN_CLAIM: z
    .string()
    .regex(/^[^=\s]+=[^=\s]+$/, 'must be claim=value, e.g. roles=admin')
    .transform((setting) => {
      const [claim, value] = setting.split('=') as [string, string];
      return { claim, value };
    })
    .optional(),
};

/**
 * Every setting the server reads, by the part of the server that uses it. `.env.example` and
 * docs/configuration.md document each variable (tests/config/settingsDocumented.test.ts checks).
 */
export const configSections = {
  server: section({
    /** `development` adds the playground, readable logs at a terminal and any localhost origin; `production` refuses `db:reset`. */
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    /**
     * The address to listen on: `127.0.0.1` by default in development (the playground and a
     * generated admin password stay off the network), every interface otherwise; `0.0.0.0` or `::`
     * for every interface, an address of the machine for that one.
     */
    HOST: z
      .string()
      .regex(/^[A-Za-z0-9.:-]+$/, 'must be an IP address or a host name, e.g. 127.0.0.1, 0.0.0.0 or ::')
      .optional(),
    /** HTTP and WebSocket port; under PM2 each process listens on `PORT + NODE_APP_INSTANCE`. */
    PORT: z.coerce.number().int().min(1).max(65535).default(2567),
    /** pino's level; `silent` logs nothing. */
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /**
     * Where clients reach this very process (`host[:port][/path]`, no scheme), handed to the SDK in
     * each seat reservation; the section's transform fills in `{port}` and `{instance}`.
     */
    PUBLIC_ADDRESS: z.string().optional(),
    /** After SIGTERM/SIGINT, exit anyway after this many seconds (stay below PM2's kill_timeout). */
    SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(15),
    /** Set by PM2, not by operators: this process's number (0 outside PM2). */
    NODE_APP_INSTANCE: z.coerce.number().int().min(0).default(0),
    /** Set by PM2, not by operators: how many instances PM2 runs (read only to refuse a PGlite cluster). */
    instances: z.coerce.number().int().min(0).optional(),
  }).transform(({ host, ...server }, context) => {
    // Undefined: every interface (Node's default, IPv6 and IPv4 where the machine has both).
    const listenHost = host ?? (server.nodeEnv === 'development' ? '127.0.0.1' : undefined);
    if (server.publicAddress === undefined) return { ...server, host: listenHost };
    const address = resolvePublicAddress(server.publicAddress, server.port + server.nodeAppInstance, server.nodeAppInstance);
    if (address.ok) return { ...server, host: listenHost, publicAddress: address.value };
    context.addIssue({ code: 'custom', path: ['PUBLIC_ADDRESS'], message: address.problem });
    return z.NEVER;
  }),
  database: section({
    /** PostgreSQL connection string; unset means the embedded PGlite database in DATA_DIR. */
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    /** PGlite data folder, used when DATABASE_URL is unset; one process per folder. */
    DATA_DIR: z.string().min(1).default('./data'),
    /** Log every SQL statement at debug level. */
    LOG_DATABASE_QUERIES: booleanFromEnv.default(false),
  }),
  room: section({
    /** How long a dropped player's seat and readiness wait for the SDK to reconnect. */
    RECONNECT_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    /** Seconds from everyone being ready to play starting (fractions allowed). */
    COUNTDOWN_SECONDS: z.coerce.number().min(0).max(60).default(3),
    /** Minimum milliseconds between two moves of one player. */
    MOVE_COOLDOWN_MS: z.coerce.number().int().min(0).max(10_000).default(150),
    /** A bot's average time per step (each step waits 75–125 % of it, never less than MOVE_COOLDOWN_MS): a person's pace. */
    BOT_STEP_MS: z.coerce.number().int().min(10).max(10_000).default(550),
    /**
     * A room sends its state's changes right after the event-loop turn that made them, but never
     * sooner than this many milliseconds after its previous patch: a busy room batches, an idle
     * one answers at once (rooms/PatchScheduler.ts). 0, the default: one patch per turn with a change
     * (a busy room still batches what one turn brings; docs/benchmarks.md has 0, 10 and 25 measured).
     */
    PATCH_MIN_INTERVAL_MS: z.coerce.number().int().min(0).max(1000).default(0),
    /** The maze size quick play looks for (and gives the sessions it creates) when the client names none. */
    QUICK_PLAY_SIZE: z.coerce.number().int().min(4).max(64).default(8),
    /** The fog mode quick play looks for when the client names none: `team` or `player`. */
    QUICK_PLAY_FOG: z.enum(['team', 'player']).default('team'),
    /** The seats of a session quick play creates (2..16). */
    QUICK_PLAY_MAX_PLAYERS: z.coerce.number().int().min(2).max(16).default(8),
  }),
  writer: section({
    /** How long readiness, positions and revealed tiles wait to be written together (what a crash may lose). */
    FLUSH_INTERVAL_MS: z.coerce.number().int().min(1).max(100).default(50),
    /**
     * Days a finished round keeps its whole audit trail; after that only its result (`round_finished`)
     * is kept. 0 keeps every event for ever (~1.4 MB per playing client-hour: docs/operations.md).
     */
    EVENT_RETENTION_DAYS: z.coerce.number().min(0).max(36_500).default(30),
  }),
  load: section({
    /** Event-loop delay (p99 over 2 s) past which the process counts as overloaded and refuses new joins. */
    OVERLOAD_DELAY_MS: z.coerce.number().int().min(20).max(10_000).default(150),
  }),
  identity: section({
    /**
     * `token`: a clientId belongs to whoever first used it, proven by the clientToken the server gave
     * them. `trust`: any caller may act as any clientId, like the old system (for migrations only).
     */
    CLIENT_AUTH: z.enum(['token', 'trust']).default('token'),
    /** Key that signs client tokens; when unset one is generated once and kept in the database. */
    CLIENT_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  }),
  /** Players signed in by the game's own identity provider (src/identity/PlayerTokens.ts), and guests. */
  accounts: section(accountSettings).transform(tokenSettings),
  cluster: section({
    /**
     * Redis for Colyseus presence and matchmaking (and the rate limits), shared by every process;
     * unset means a single process with in-memory presence and matchmaking.
     */
    REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
    /**
     * How long a process owns its sessions without renewing its lease in the database (it renews
     * every third of it). After a crash or a pause, another process takes a session over this long
     * after the last renewal; with REDIS_URL, a process that cannot renew for this long closes its
     * rooms (their clients join again), so a database outage shorter than this goes unnoticed.
     */
    SESSION_LEASE_MS: z.coerce.number().int().min(1000).max(60_000).default(3000),
  }),
  http: section({
    /** The admin routes' password; when unset a random one is made for this process (and logged). */
    ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
    /**
     * Wrong admin credentials (or metrics tokens) one client address may send per 15 minutes; past
     * them, its admin requests answer 429 until the window ends (src/http/edge/failedAdminLogins.ts).
     */
    ADMIN_LOGIN_FAILURES: z.coerce.number().int().min(1).max(1_000_000).default(10),
    /** A read-only credential for `/metrics` (Prometheus), besides the admin password. */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /**
     * Web origins (besides the server's own, and localhost in development) whose pages may call the
     * API with CORS and open room and push sockets; `*` allows any.
     */
    ALLOWED_ORIGINS: commaSeparated(
      z.union([z.literal('*'), z.string().regex(ORIGIN_PATTERN, 'each must be scheme://host[:port], e.g. https://game.example.com')]),
    ).default([]),
    /** Express's `trust proxy`: which proxies' X-Forwarded-For to believe for the client address. */
    TRUST_PROXY: z
      .string()
      .regex(/^(true|false|\d{1,2}|[\w.:/, -]+)$/, 'must be true, false, a number of proxies, or addresses/subnets (e.g. loopback, 10.0.0.0/8)')
      .default('false')
      .transform(trustProxySetting),
    /** Open WebSockets (rooms and /ws/{id} together) one client address may hold. */
    MAX_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(64),
    /** Sessions that may exist at once; creating more is refused (503) until some are deleted. */
    MAX_SESSIONS: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
  }).transform(({ adminPassword, ...http }) => ({
    ...http,
    adminPassword: adminPassword ?? randomBytes(18).toString('base64url'),
    /** True when no ADMIN_PASSWORD was configured and a random one was made for this process. */
    adminPasswordGenerated: adminPassword === undefined,
  })),
  /** Per client address and minute (src/http/edge/rateLimits.ts). */
  rateLimits: section({
    /** Session creations, both APIs together. */
    SESSION_CREATES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(10),
    /** Maze previews, both APIs together. */
    PREVIEWS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(120),
    /** Joins: old-API joins, and room sockets (counted apart). */
    JOINS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  }),
};

/** Each section reads the same flat environment; a problem is reported by its variable's name alone. */
const configSchema = z.preprocess((env) => Object.fromEntries(Object.keys(configSections).map((name) => [name, env])), z.object(configSections));

/** The server's settings, section by section: `config.room`, `config.http`, … */
export type Config = z.output<typeof configSchema>;

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
  const parsed = configSchema.safeParse(withoutEmptyValues(env));
  if (!parsed.success) {
    // The first path element is the section, which the operator never wrote.
    const problems = parsed.error.issues.map((issue) => `${issue.path.slice(1).join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  requireSharedStateForSeveralProcesses(parsed.data);
  return parsed.data;
}

/**
 * Several processes need what they share to live outside them: matchmaking and presence in Redis,
 * data in PostgreSQL (PGlite is one process's embedded database), and an address per process so
 * that clients reach the process holding their room.
 */
function requireSharedStateForSeveralProcesses({ server, database, cluster, http }: Config): void {
  // PM2 says how many instances it runs; a NODE_APP_INSTANCE above 0 alone means more than one.
  const pm2Instances = Math.max(server.instances ?? 1, server.nodeAppInstance + 1);
  if (pm2Instances > 1 && !cluster.redisUrl) {
    const count = server.instances === undefined ? `at least ${pm2Instances}` : String(pm2Instances);
    throw new ConfigError(
      `PM2 runs ${count} instances but REDIS_URL is not set, so they would not share rooms: ` +
        'set REDIS_URL and DATABASE_URL (PostgreSQL), or run one instance (INSTANCES=1 pm2 start ecosystem.config.js)',
    );
  }
  if (cluster.redisUrl && !database.databaseUrl) {
    throw new ConfigError(
      'REDIS_URL is set (several processes) but DATABASE_URL is not: the embedded PGlite database serves one ' +
        'process only. Set DATABASE_URL to a PostgreSQL database shared by every process, or unset REDIS_URL ' +
        'and run one process (INSTANCES=1 under PM2)',
    );
  }
  if (cluster.redisUrl && http.adminPasswordGenerated) {
    throw new ConfigError(
      'REDIS_URL is set (several processes) but ADMIN_PASSWORD is not: each process would generate a password of ' +
        'its own, and an admin request would work on one process and fail on the next. Set one ADMIN_PASSWORD for all of them',
    );
  }
  if (cluster.redisUrl && !server.publicAddress) {
    throw new ConfigError(
      'REDIS_URL is set (several processes) but PUBLIC_ADDRESS is not: a room lives in one process and its ' +
        'clients must reach that process. Set PUBLIC_ADDRESS, e.g. game.example.com/{port} (see README, Production)',
    );
  }
}

/** Fills in `{port}` and `{instance}`, and checks the result is something the SDK can connect to. */
function resolvePublicAddress(template: string, port: number, instance: number): { ok: true; value: string } | { ok: false; problem: string } {
  if (template.includes('://')) {
    return { ok: false, problem: 'leave out the scheme (the SDK picks ws:// or wss:// itself), e.g. game.example.com/{port}' };
  }
  const unknown = template.replace(PUBLIC_ADDRESS_PLACEHOLDERS, '').match(/\{[^}]*\}/);
  if (unknown) return { ok: false, problem: `unknown placeholder ${unknown[0]}; use {port} or {instance}` };
  const address = template.replace(PUBLIC_ADDRESS_PLACEHOLDERS, (_, name: string) => String(name === 'port' ? port : instance));
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~-]+)*$/.test(address)) {
    return { ok: false, problem: `"${address}" is not host[:port][/path] (letters, digits, . _ ~ - only; no trailing slash)` };
  }
  return { ok: true, value: address };
}

/** A comma-separated list, blanks dropped, each item checked by `item`. */
function commaSeparated<Item extends z.ZodType<unknown, string>>(item: Item) {
  return z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry.length > 0),
    )
    .pipe(z.array(item));
}

type AccountSettings = Settings<typeof accountSettings>;

/** How tokens are checked: the key they must be signed with, and the claims they must carry. */
export type TokenVerification = {
  key: { kind: 'jwks'; url: string } | { kind: 'secret'; secret: string } | { kind: 'publicKey'; pem: string };
  issuer: string;
  audience: string[];
  algorithms: string[];
  clockToleranceSeconds: number;
  /** Tokens whose `claim` holds `value` are admins. */
  adminClaim: { claim: string; value: string } | undefined;
};

/**
 * The AUTH_* settings as one verification (undefined: no key, guests only), checked together: one
 * key, the issuer and audience it needs, algorithms that fit it, and guests on unless a key is set.
 */
function tokenSettings(settings: AccountSettings, context: z.core.$RefinementCtx<AccountSettings>) {
  const problem = (variable: string, message: string) => {
    context.addIssue({ code: 'custom', path: [variable], message });
    return z.NEVER;
  };
  const keys = [
    settings.authJwksUrl && ({ kind: 'jwks', url: settings.authJwksUrl } as const),
    settings.authJwtSecret && ({ kind: 'secret', secret: settings.authJwtSecret } as const),
    settings.authJwtPublicKey && ({ kind: 'publicKey', pem: settings.authJwtPublicKey } as const),
  ].filter((key) => typeof key === 'object');
  const [key] = keys;
  if (keys.length > 1) return problem('AUTH_JWKS_URL', 'set one of AUTH_JWKS_URL, AUTH_JWT_SECRET and AUTH_JWT_PUBLIC_KEY, not several');
  if (!key) {
    const keyless = {
      AUTH_ISSUER: settings.authIssuer,
      AUTH_AUDIENCE: settings.authAudience,
      AUTH_ALGORITHMS: settings.authAlgorithms,
      AUTH_ADMIN_CLAIM: settings.authAdminClaim,
    };
    const needsKey = Object.entries(keyless).find(([, value]) => value !== undefined);
    if (needsKey) return problem(needsKey[0], 'is about tokens, which need a key: set AUTH_JWKS_URL, AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY');
    if (settings.authGuests === false)
      return problem('AUTH_GUESTS', 'false without a key (AUTH_JWKS_URL, AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY) would let nobody play');
    return { tokens: undefined, guests: true };
  }
  if (!settings.authIssuer)
    return problem('AUTH_ISSUER', 'is required with a key: the issuer (iss) every token must carry, e.g. https://example.eu.auth0.com/');
  if (!settings.authAudience?.length)
    return problem('AUTH_AUDIENCE', "is required with a key: the audience (aud) of this game's tokens, so another app's tokens are refused");
  const fitting: readonly string[] = key.kind === 'secret' ? SECRET_ALGORITHMS : PUBLIC_KEY_ALGORITHMS;
  const algorithms = settings.authAlgorithms ?? [key.kind === 'secret' ? 'HS256' : 'RS256'];
  const unfit = algorithms.find((algorithm) => !fitting.includes(algorithm));
  if (unfit)
    return problem(
      'AUTH_ALGORITHMS',
      `${unfit} does not fit ${key.kind === 'secret' ? 'a shared secret (HS256, HS384, HS512)' : 'public keys (RS*, PS*, ES*, EdDSA)'}`,
    );
  if (key.kind === 'publicKey') {
    const unreadable = publicKeyProblem(key.pem);
    if (unreadable) return problem('AUTH_JWT_PUBLIC_KEY', unreadable);
  }
  const tokens: TokenVerification = {
    key,
    issuer: settings.authIssuer,
    audience: settings.authAudience,
    algorithms,
    clockToleranceSeconds: settings.authClockToleranceSeconds,
    adminClaim: settings.authAdminClaim,
  };
  return { tokens, guests: settings.authGuests ?? false };
}

/** Why a PEM text cannot verify tokens, or undefined when it can. */
function publicKeyProblem(pem: string): string | undefined {
  // createPublicKey would take a private key too (and derive its public half): refused, it does not belong in settings.
  if (/PRIVATE KEY-----/.test(pem)) return 'is a private key: give its public key (-----BEGIN PUBLIC KEY-----), the private one stays with whoever signs';
  try {
    createPublicKey(pem);
    return undefined;
  } catch {
    return 'is not a readable PEM public key (-----BEGIN PUBLIC KEY----- … -----END PUBLIC KEY-----)';
  }
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
