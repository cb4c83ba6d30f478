import { createPublicKey } from 'node:crypto';
import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type KeyInput } from 'jose';
import type { TokenVerification } from '../config.ts';
import { DomainError, UnauthorizedError } from '../domainErrors.ts';
import type { Logger } from '../logger.ts';
import { unsafeTextProblem } from '../untrustedInput.ts';
import { clientIdOfSubject } from './playerIds.ts';
import { ProviderKeys } from './ProviderKeys.ts';

/** Who a valid token signs in. */
export type SignedInPlayer = {
  /** The player's id everywhere: `sub:` and the token's subject (see playerIds.ts). */
  clientId: string;
  /** The token's name claim, the player's display name unless the join gives another. */
  name: string | undefined;
  /** Whether the token carries AUTH_ADMIN_CLAIM: it grants what the admin password grants. */
  admin: boolean;
};

/** Longer than any token a provider issues: refused before anything parses it. */
const MAX_TOKEN_LENGTH = 8192;
/** A compact JWS: three base64url parts (the signature may be empty, as `alg: none` leaves it). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** Display names are 1..32 characters (labyrinthProtocol's displayName). */
const MAX_NAME_LENGTH = 32;

/**
 * Verifies the players' bearer tokens (JWTs) with `jose`: signed with the configured key (a
 * provider's key set, a shared secret or a public key), by an allowed algorithm (never `none`),
 * issued by AUTH_ISSUER for AUTH_AUDIENCE, within `exp`/`nbf` give or take the clock tolerance,
 * naming a subject. A refused token throws a 401 whose code and message say what was wrong (never
 * which key or secret); every refusal is counted by that code (`onRefused`).
 */
export class PlayerTokens {
  readonly #settings: TokenVerification;
  readonly #key: JWTVerifyGetKey | KeyInput;
  readonly #onRefused: (reason: string) => void;

  constructor(settings: TokenVerification, options: { logger: Logger; onRefused: (reason: string) => void }) {
    this.#settings = settings;
    this.#onRefused = options.onRefused;
    const { key } = settings;
    if (key.kind === 'jwks') this.#key = new ProviderKeys(key.url, options.logger).resolver;
    else if (key.kind === 'secret') this.#key = new TextEncoder().encode(key.secret);
    else this.#key = createPublicKey(key.pem);
  }

  /** Whether a bearer credential is a JWT at all (the admin password and METRICS_TOKEN are not). */
  static isToken(credential: string): boolean {
    return credential.length <= MAX_TOKEN_LENGTH && COMPACT_JWS.test(credential);
  }

  /** The player a token signs in; throws a 401 (or a 503 while the provider's keys cannot be fetched) saying why not. */
  async verify(token: string): Promise<SignedInPlayer> {
    try {
      if (!PlayerTokens.isToken(token)) throw refusal('token_malformed');
      const { issuer, audience, algorithms, clockToleranceSeconds } = this.#settings;
      const { payload } = await jwtVerify(token, this.#key, {
        issuer,
        audience,
        algorithms,
        clockTolerance: clockToleranceSeconds,
        requiredClaims: ['sub', 'exp'],
      });
      // jose checks that `sub` is there, not that it is a string someone can be known by.
      if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw refusal('token_missing_subject');
      return { clientId: clientIdOfSubject(payload.sub), name: nameIn(payload), admin: this.#isAdmin(payload) };
    } catch (error) {
      const refused = error instanceof DomainError ? error : this.#explain(error, token);
      this.#onRefused(refused.code);
      throw refused;
    }
  }

  #isAdmin(payload: JWTPayload): boolean {
    const { adminClaim } = this.#settings;
    if (!adminClaim) return false;
    const found = claimAt(payload, adminClaim.claim);
    if (Array.isArray(found)) return found.includes(adminClaim.value);
    // A string claim may be one value, or several separated by spaces (as OAuth's `scope`).
    if (typeof found === 'string') return found.split(' ').includes(adminClaim.value);
    return String(found) === adminClaim.value;
  }

  /** jose's error as a refusal naming what was wrong with the token. */
  #explain(error: unknown, token: string): DomainError {
    if (error instanceof errors.JWTExpired) return refusal('token_expired');
    if (error instanceof errors.JWTClaimValidationFailed) {
      if (error.claim === 'nbf') return refusal('token_not_yet_valid');
      if (error.claim === 'iss') return refusal('token_wrong_issuer');
      if (error.claim === 'aud') return refusal('token_wrong_audience');
      if (error.claim === 'sub') return refusal('token_missing_subject');
      if (error.claim === 'exp') return refusal('token_missing_expiry');
      return refusal('token_invalid_claims', `The token's ${error.claim} claim is not valid`);
    }
    if (error instanceof errors.JOSEAlgNotAllowed) {
      const allowed = this.#settings.algorithms.join(', ');
      return refusal(
        'token_algorithm_not_allowed',
        `The token is signed with ${algorithmOf(token)}, which this server does not accept (it accepts ${allowed})`,
      );
    }
    if (error instanceof errors.JWSSignatureVerificationFailed) return refusal('token_invalid_signature');
    if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
      return refusal('token_invalid_signature', 'The token is signed with a key the identity provider does not publish');
    }
    if (error instanceof errors.JOSEError) return refusal('token_malformed');
    throw error;
  }
}

/** What each refusal tells the client, unless a message more to the point is given. */
const REFUSALS = {
  token_malformed: 'The token is not a well-formed JWT (three base64url parts: a JSON header, a JSON payload and a signature)',
  token_expired: 'The token has expired: get a new one from the identity provider',
  token_not_yet_valid: 'The token is not valid yet (its nbf is in the future): check the clock of whoever issued it',
  token_invalid_signature: "The token's signature does not verify: it was altered, or not signed by this game's identity provider",
  token_algorithm_not_allowed: 'The token is signed with an algorithm this server does not accept',
  token_wrong_issuer: "The token was not issued by this game's identity provider (its iss is not AUTH_ISSUER)",
  token_wrong_audience: 'The token is not meant for this game (its aud is not AUTH_AUDIENCE): it belongs to another application',
  token_missing_subject: 'The token names no player: its sub claim is missing or empty',
  token_missing_expiry: 'The token never expires (no exp claim): this server accepts only tokens that do',
  token_invalid_claims: "The token's claims are not valid",
} as const;

function refusal(code: keyof typeof REFUSALS, message: string = REFUSALS[code]): UnauthorizedError {
  return new UnauthorizedError(code, message);
}

/** The token's `alg`, for the refusal's message (the header was readable, or jose would not have got to the algorithm). */
function algorithmOf(token: string): string {
  try {
    return String(decodeProtectedHeader(token).alg);
  } catch {
    return 'an unknown algorithm';
  }
}

/** A claim by its name, or by a dotted path into nested objects (Keycloak's `realm_access.roles`). */
function claimAt(payload: JWTPayload, claim: string): unknown {
  if (Object.hasOwn(payload, claim)) return payload[claim];
  let node: unknown = payload;
  for (const key of claim.split('.')) {
    node = typeof node === 'object' && node !== null && Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

/** The display name a token gives (`name`, else `preferred_username`, else `nickname`), cut to 32 characters; none when unusable. */
function nameIn(payload: JWTPayload): string | undefined {
  for (const claim of ['name', 'preferred_username', 'nickname']) {
    const value = payload[claim];
    if (typeof value !== 'string' || unsafeTextProblem(value) !== undefined) continue;
    const name = [...value.trim()].slice(0, MAX_NAME_LENGTH).join('').trim();
    if (name.length > 0) return name;
  }
  return undefined;
}
