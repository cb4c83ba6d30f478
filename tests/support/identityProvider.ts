import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { TEST_PORT } from './testServer.ts';

/**
 * Where the test provider serves its keys: a port of this test process's block (testServer.ts), fixed
 * so that a server configured before the provider starts (or restarts) finds it.
 */
export const TEST_PROVIDER_PORT = TEST_PORT + 50;

/** The issuer and audience the test provider's tokens carry, and the test servers expect. */
export const TEST_ISSUER = 'https://id.labyrinth.test/';
export const TEST_AUDIENCE = 'labyrinth-game';

type SigningKey = { kid: string; privateKey: CryptoKey; publicJwk: JWK; spki: string };

/**
 * A game's identity provider, as far as the server sees one: a JSON Web Key Set on loopback
 * (`/.well-known/jwks.json`), with RS256 keys published by `kid`, and tokens signed with them. It
 * counts how often its keys are fetched, and can go away and come back on the same port.
 */
export class TestIdentityProvider {
  readonly #keys = new Map<string, SigningKey>();
  readonly #published = new Set<string>();
  #server: Server | undefined;
  readonly #port: number;
  /** How many times the key set was fetched. */
  fetches = 0;

  private constructor(port: number) {
    this.#port = port;
  }

  static async start(port = TEST_PROVIDER_PORT): Promise<TestIdentityProvider> {
    const provider = new TestIdentityProvider(port);
    await provider.resume();
    return provider;
  }

  /** The settings of a server trusting the provider on `port`, known before it starts. */
  static settingsFor(port = TEST_PROVIDER_PORT, extra: Record<string, string> = {}): Record<string, string> {
    return { AUTH_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`, AUTH_ISSUER: TEST_ISSUER, AUTH_AUDIENCE: TEST_AUDIENCE, ...extra };
  }

  /** Makes an RS256 key; published (in the key set) unless told otherwise. */
  async addKey(kid: string, options: { publish?: boolean } = {}): Promise<SigningKey> {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const key = { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }, spki: await exportSPKI(publicKey) };
    this.#keys.set(kid, key);
    if (options.publish !== false) this.#published.add(kid);
    return key;
  }

  key(kid: string): SigningKey {
    const key = this.#keys.get(kid);
    if (!key) throw new Error(`no test key ${kid}`);
    return key;
  }

  /**
   * A token for `subject` signed with key `kid`: issuer, audience, issued now, valid for an hour,
   * unless `claims` say otherwise (`undefined` removes a claim).
   */
  async sign(kid: string, subject: string | undefined, claims: JWTPayload = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const payload: JWTPayload = { iss: TEST_ISSUER, aud: TEST_AUDIENCE, sub: subject, iat: now, exp: now + 3600, ...claims };
    for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(this.key(kid).privateKey);
  }

  /** Stops answering: the port refuses connections. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  }

  /** Answers again, on the same port. */
  async resume(): Promise<void> {
    const server = createServer((req, res) => {
      if (req.url !== '/.well-known/jwks.json') {
        res.writeHead(404).end();
        return;
      }
      this.fetches += 1;
      const keys = [...this.#published].map((kid) => this.key(kid).publicJwk);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    });
    server.listen(this.#port, '127.0.0.1');
    await once(server, 'listening');
    this.#server = server;
  }
}

/** A token's parts, re-encoded: for tokens the provider never signed (alg none, a changed payload). */
export function forgedToken(header: Record<string, unknown>, payload: Record<string, unknown>, signature = ''): string {
  const encode = (part: Record<string, unknown>) => Buffer.from(JSON.stringify(part)).toString('base64url');
  return `${encode(header)}.${encode(payload)}.${signature}`;
}

/** A signed token with one payload claim changed after signing (its signature kept). */
export function tamperedToken(token: string, change: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return forgedToken(JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>, { ...claims, ...change }, signature);
}

/**
 * A provider for the tests of the `describe` this is called in: started before them with an RS256 key
 * for each of `kids`, stopped after them. Returns the running provider.
 */
export function testIdentityProvider(...kids: string[]): () => TestIdentityProvider {
  let provider: TestIdentityProvider | undefined;
  before(async () => {
    provider = await TestIdentityProvider.start();
    for (const kid of kids) await provider.addKey(kid);
  });
  after(async () => {
    await provider?.stop();
  });
  return () => provider!;
}
