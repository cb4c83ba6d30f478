import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfig } from '../../src/config.ts';

const POSTGRES = 'postgresql://labyrinth@127.0.0.1:5432/labyrinth';
const REDIS = 'redis://127.0.0.1:6379';

/** loadConfig on exactly these variables (never the test process's own environment or .env files). */
function configWith(env: Record<string, string>) {
  return loadConfig({ ADMIN_PASSWORD: 'admin-password', ...env });
}

function refusal(env: Record<string, string>): string {
  try {
    configWith(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.message;
  }
  return assert.fail('the configuration should have been refused');
}

describe('loadConfig', () => {
  it('runs one process on the embedded database by default', () => {
    const config = configWith({});
    assert.equal(config.database.databaseUrl, undefined);
    assert.equal(config.cluster.redisUrl, undefined);
    assert.equal(config.server.publicAddress, undefined);
    assert.equal(config.server.nodeAppInstance, 0);
    assert.equal(config.server.shutdownTimeoutSeconds, 15);
  });

  it('refuses Redis (several processes) on the embedded PGlite database, saying what to set', () => {
    const message = refusal({ REDIS_URL: REDIS, PUBLIC_ADDRESS: 'game.example.com/{port}' });
    assert.match(message, /DATABASE_URL/);
    assert.match(message, /PGlite/);
  });

  it('refuses several PM2 instances without Redis and PostgreSQL, and suggests INSTANCES=1', () => {
    const message = refusal({ instances: '4', NODE_APP_INSTANCE: '2' });
    assert.match(message, /4 instances/);
    assert.match(message, /REDIS_URL and DATABASE_URL/);
    assert.match(message, /INSTANCES=1/);
    assert.match(refusal({ instances: '2', REDIS_URL: REDIS, PUBLIC_ADDRESS: 'x.example.com' }), /DATABASE_URL/);
    // A second instance is one even where PM2 does not say how many there are.
    assert.match(refusal({ NODE_APP_INSTANCE: '1' }), /at least 2 instances/);
  });

  it('accepts one PM2 instance on PGlite', () => {
    const config = configWith({ instances: '1', NODE_APP_INSTANCE: '0' });
    assert.equal(config.server.nodeAppInstance, 0);
  });

  it('needs PUBLIC_ADDRESS when several processes share rooms', () => {
    assert.match(refusal({ REDIS_URL: REDIS, DATABASE_URL: POSTGRES }), /PUBLIC_ADDRESS/);
  });

  it('accepts Redis with PostgreSQL and fills {port} and {instance} in PUBLIC_ADDRESS per process', () => {
    const config = configWith({
      REDIS_URL: REDIS,
      DATABASE_URL: POSTGRES,
      PORT: '2567',
      NODE_APP_INSTANCE: '3',
      instances: '4',
      PUBLIC_ADDRESS: 'game.example.com/{port}',
    });
    assert.equal(config.cluster.redisUrl, REDIS);
    assert.equal(config.server.nodeAppInstance, 3);
    assert.equal(config.server.publicAddress, 'game.example.com/2570');
    const bySubdomain = configWith({ REDIS_URL: REDIS, DATABASE_URL: POSTGRES, NODE_APP_INSTANCE: '1', PUBLIC_ADDRESS: 'node-{instance}.example.com' });
    assert.equal(bySubdomain.server.publicAddress, 'node-1.example.com');
  });

  it('refuses a PUBLIC_ADDRESS the SDK could not connect to, naming the problem', () => {
    const cluster = { REDIS_URL: REDIS, DATABASE_URL: POSTGRES };
    assert.match(refusal({ ...cluster, PUBLIC_ADDRESS: 'wss://game.example.com' }), /PUBLIC_ADDRESS: leave out the scheme/);
    assert.match(refusal({ ...cluster, PUBLIC_ADDRESS: 'game.example.com/{pid}' }), /unknown placeholder \{pid\}/);
    assert.match(refusal({ ...cluster, PUBLIC_ADDRESS: 'game.example.com/' }), /no trailing slash/);
    assert.match(refusal({ ...cluster, PUBLIC_ADDRESS: 'game example.com' }), /not host\[:port\]\[\/path\]/);
  });

  it('refuses a REDIS_URL that is not a Redis URL, and a short METRICS_TOKEN', () => {
    assert.match(refusal({ REDIS_URL: 'http://127.0.0.1:6379', DATABASE_URL: POSTGRES }), /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
    assert.match(refusal({ METRICS_TOKEN: 'short' }), /METRICS_TOKEN: must be at least 16 characters/);
  });

  it('refuses several processes without one ADMIN_PASSWORD for all of them', () => {
    const message = (() => {
      try {
        loadConfig({ REDIS_URL: REDIS, DATABASE_URL: POSTGRES, PUBLIC_ADDRESS: 'game.example.com/{port}' });
      } catch (error) {
        return String((error as Error).message);
      }
      return assert.fail('the configuration should have been refused');
    })();
    assert.match(message, /ADMIN_PASSWORD/);
  });

  it('reads the hardening settings, with their defaults', () => {
    const defaults = configWith({});
    assert.deepEqual(defaults.http.allowedOrigins, []);
    assert.equal(defaults.http.trustProxy, false);
    assert.equal(defaults.http.maxSocketsPerAddress, 64);
    assert.deepEqual(defaults.rateLimits, { sessionCreatesPerMinute: 10, previewsPerMinute: 120, joinsPerMinute: 60 });
    assert.equal(defaults.http.maxSessions, 10_000);
    const set = configWith({
      ALLOWED_ORIGINS: 'https://game.example.com, http://localhost:5173',
      TRUST_PROXY: '1',
      MAX_SOCKETS_PER_ADDRESS: '8',
      SESSION_CREATES_PER_MINUTE: '2',
      MAX_SESSIONS: '50',
    });
    assert.deepEqual(set.http.allowedOrigins, ['https://game.example.com', 'http://localhost:5173']);
    assert.equal(set.http.trustProxy, 1);
    assert.equal(set.http.maxSocketsPerAddress, 8);
    assert.equal(set.rateLimits.sessionCreatesPerMinute, 2);
    assert.equal(set.http.maxSessions, 50);
    assert.equal(configWith({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).http.trustProxy, 'loopback, 10.0.0.0/8');
  });

  it('names the variable (not the section it belongs to) in each problem, and reports every problem at once', () => {
    assert.match(refusal({ PORT: '0' }), /^Invalid configuration: PORT: /);
    const message = refusal({ PORT: 'x', RECONNECT_SECONDS: '-1', ALLOWED_ORIGINS: 'game.example.com' });
    assert.match(message, /^Invalid configuration: PORT: .+; RECONNECT_SECONDS: .+; ALLOWED_ORIGINS\.0: each must be scheme:\/\/host/);
  });

  it('refuses an allowed origin with a path, or without a scheme', () => {
    assert.match(refusal({ ALLOWED_ORIGINS: 'https://game.example.com/' }), /ALLOWED_ORIGINS/);
    assert.match(refusal({ ALLOWED_ORIGINS: 'game.example.com' }), /ALLOWED_ORIGINS/);
  });
});

// The AUTH_* settings are checked together at start: a key needs the issuer and audience it is
// checked against, algorithms that fit it (never `none`), and guests are on unless a key is set.

const JWKS = { AUTH_JWKS_URL: 'https://example.eu.auth0.com/.well-known/jwks.json', AUTH_ISSUER: 'https://example.eu.auth0.com/', AUTH_AUDIENCE: 'labyrinth' };

describe('account settings (AUTH_*)', () => {
  it('admits guests only, as before, when no key is set', () => {
    assert.deepEqual(configWith({}).accounts, { tokens: undefined, guests: true });
  });

  it('verifies tokens with a key set, guests off unless AUTH_GUESTS says otherwise', () => {
    const { tokens, guests } = configWith({ ...JWKS, AUTH_ADMIN_CLAIM: 'realm_access.roles=admin' }).accounts;
    assert.equal(guests, false);
    assert.deepEqual(tokens, {
      key: { kind: 'jwks', url: JWKS.AUTH_JWKS_URL },
      issuer: JWKS.AUTH_ISSUER,
      audience: ['labyrinth'],
      algorithms: ['RS256'],
      clockToleranceSeconds: 5,
      adminClaim: { claim: 'realm_access.roles', value: 'admin' },
    });
    assert.equal(configWith({ ...JWKS, AUTH_GUESTS: 'true' }).accounts.guests, true);
    assert.deepEqual(configWith({ ...JWKS, AUTH_AUDIENCE: 'web-client, mobile-client' }).accounts.tokens?.audience, ['web-client', 'mobile-client']);
    const secret = configWith({ AUTH_JWT_SECRET: 's'.repeat(32), AUTH_ISSUER: 'backend', AUTH_AUDIENCE: 'game' }).accounts.tokens;
    assert.deepEqual(secret?.algorithms, ['HS256']);
  });

  it('needs the issuer and the audience with a key, and one key only', () => {
    assert.match(refusal({ AUTH_JWKS_URL: JWKS.AUTH_JWKS_URL, AUTH_AUDIENCE: 'labyrinth' }), /AUTH_ISSUER: is required/);
    assert.match(refusal({ AUTH_JWKS_URL: JWKS.AUTH_JWKS_URL, AUTH_ISSUER: 'x' }), /AUTH_AUDIENCE: is required/);
    assert.match(refusal({ ...JWKS, AUTH_JWT_SECRET: 's'.repeat(32) }), /one of AUTH_JWKS_URL, AUTH_JWT_SECRET and AUTH_JWT_PUBLIC_KEY/);
    assert.match(refusal({ AUTH_JWT_SECRET: 'short' }), /AUTH_JWT_SECRET: must be at least 32 characters/);
    assert.match(refusal({ ...JWKS, AUTH_JWKS_URL: 'ftp://keys.example' }), /AUTH_JWKS_URL: must be an http/);
  });

  it('refuses token settings without a key, and AUTH_GUESTS=false that would let nobody play', () => {
    assert.match(refusal({ AUTH_ISSUER: 'https://example.eu.auth0.com/' }), /AUTH_ISSUER: .*need a key/);
    assert.match(refusal({ AUTH_ADMIN_CLAIM: 'roles=admin' }), /AUTH_ADMIN_CLAIM: .*need a key/);
    assert.match(refusal({ AUTH_GUESTS: 'false' }), /AUTH_GUESTS: .*nobody play/);
    assert.match(refusal({ ...JWKS, AUTH_ADMIN_CLAIM: 'roles' }), /AUTH_ADMIN_CLAIM: must be claim=value/);
  });

  it('accepts only algorithms that fit the key, and never none', () => {
    assert.match(refusal({ ...JWKS, AUTH_ALGORITHMS: 'RS256,HS256' }), /AUTH_ALGORITHMS: HS256 does not fit public keys/);
    assert.match(
      refusal({ AUTH_JWT_SECRET: 's'.repeat(32), AUTH_ISSUER: 'b', AUTH_AUDIENCE: 'g', AUTH_ALGORITHMS: 'RS256' }),
      /RS256 does not fit a shared secret/,
    );
    assert.match(refusal({ ...JWKS, AUTH_ALGORITHMS: 'none' }), /AUTH_ALGORITHMS/);
    assert.deepEqual(configWith({ ...JWKS, AUTH_ALGORITHMS: 'RS256, ES256' }).accounts.tokens?.algorithms, ['RS256', 'ES256']);
  });

  it('reads a PEM public key, with \\n escapes too, and refuses a private key or anything else', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const claims = { AUTH_ISSUER: 'backend', AUTH_AUDIENCE: 'game', AUTH_ALGORITHMS: 'ES256' };
    const escaped = publicKey.trim().replaceAll('\n', '\\n');
    assert.equal(configWith({ ...claims, AUTH_JWT_PUBLIC_KEY: escaped }).accounts.tokens?.key.kind, 'publicKey');
    assert.match(refusal({ ...claims, AUTH_JWT_PUBLIC_KEY: privateKey }), /AUTH_JWT_PUBLIC_KEY: is a private key/);
    assert.match(refusal({ ...claims, AUTH_JWT_PUBLIC_KEY: 'not a key' }), /AUTH_JWT_PUBLIC_KEY: is not a readable PEM public key/);
  });
});
