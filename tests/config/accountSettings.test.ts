import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfig } from '../../src/config.ts';

// The AUTH_* settings are checked together at start: a key needs the issuer and audience it is
// checked against, algorithms that fit it (never `none`), and guests are on unless a key is set.

const JWKS = { AUTH_JWKS_URL: 'https://example.eu.auth0.com/.well-known/jwks.json', AUTH_ISSUER: 'https://example.eu.auth0.com/', AUTH_AUDIENCE: 'labyrinth' };

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
    assert.match(refusal({ AUTH_JWT_SECRET: 's'.repeat(32), AUTH_ISSUER: 'b', AUTH_AUDIENCE: 'g', AUTH_ALGORITHMS: 'RS256' }), /RS256 does not fit a shared secret/);
    assert.match(refusal({ ...JWKS, AUTH_ALGORITHMS: 'none' }), /AUTH_ALGORITHMS/);
    assert.deepEqual(configWith({ ...JWKS, AUTH_ALGORITHMS: 'RS256, ES256' }).accounts.tokens?.algorithms, ['RS256', 'ES256']);
  });

  it('reads a PEM public key, with \\n escapes too, and refuses a private key or anything else', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const claims = { AUTH_ISSUER: 'backend', AUTH_AUDIENCE: 'game', AUTH_ALGORITHMS: 'ES256' };
    const escaped = publicKey.trim().replaceAll('\n', '\\n');
    assert.equal(configWith({ ...claims, AUTH_JWT_PUBLIC_KEY: escaped }).accounts.tokens?.key.kind, 'publicKey');
    assert.match(refusal({ ...claims, AUTH_JWT_PUBLIC_KEY: privateKey }), /AUTH_JWT_PUBLIC_KEY: is a private key/);
    assert.match(refusal({ ...claims, AUTH_JWT_PUBLIC_KEY: 'not a key' }), /AUTH_JWT_PUBLIC_KEY: is not a readable PEM public key/);
  });
});
