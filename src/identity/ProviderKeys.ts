import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { UnavailableError } from '../domainErrors.ts';
import { TokenBuckets } from '../game/TokenBuckets.ts';
import type { Logger } from '../logger.ts';

/** How long one fetch of the key set may take. */
const FETCH_TIMEOUT_MS = 5000;
/** Keys older than this are fetched again in the background; until that succeeds they keep working. */
const REFRESH_AFTER_MS = 10 * 60_000;
/** After a failed fetch, the next background attempt waits this long. */
const RETRY_AFTER_MS = 30_000;
/**
 * Fetches for a `kid` the cached set lacks (a rotation): a few at once, then one every 10 s, so that
 * tokens naming made-up keys cannot make this server hammer the provider.
 */
const UNKNOWN_KEY_FETCHES = { capacity: 5, refillMs: 10_000 };

/**
 * An identity provider's signing keys, from its JSON Web Key Set URL: the key for a token is picked
 * by its `kid` (and `alg`) with jose's local key set. The set is cached; a token naming a key the
 * cache lacks fetches it again (rotation without a restart: providers publish a new key before
 * signing with it); keys are refreshed after REFRESH_AFTER_MS. When the provider cannot be reached,
 * the keys already fetched keep verifying tokens (jose's remote set would drop them once stale), a
 * token that needs another key is refused saying the provider is unreachable, and the outage is
 * logged once, with its end.
 */
export class ProviderKeys {
  readonly #url: string;
  readonly #logger: Logger;
  readonly #unknownKeyFetches = new TokenBuckets(UNKNOWN_KEY_FETCHES);
  #keys: ReturnType<typeof createLocalJWKSet> | undefined;
  /** When the keys are to be fetched again in the background. */
  #refreshAt = 0;
  #fetching: Promise<void> | undefined;
  #unreachable = false;

  constructor(url: string, logger: Logger) {
    this.#url = url;
    this.#logger = logger;
  }

  /** jose's key resolver (`jwtVerify(token, keys.resolver, …)`). */
  readonly resolver: JWTVerifyGetKey = async (header, token) => {
    if (!this.#keys) await this.#fetch();
    else if (Date.now() > this.#refreshAt) this.#fetch().catch(() => undefined);
    try {
      return await this.#keys!(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || !this.#unknownKeyFetches.take('provider', Date.now())) throw error;
      await this.#fetch();
      return this.#keys!(header, token);
    }
  };

  /** One fetch at a time; what arrives meanwhile waits for it. */
  #fetch(): Promise<void> {
    this.#fetching ??= this.#download().finally(() => (this.#fetching = undefined));
    return this.#fetching;
  }

  async #download(): Promise<void> {
    let keySet: JSONWebKeySet;
    try {
      // No redirects: the keys come from the configured address, nowhere else.
      const response = await fetch(this.#url, { redirect: 'manual', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
      if (response.status !== 200) throw new Error(`answered HTTP ${response.status}`);
      keySet = (await response.json()) as JSONWebKeySet;
      this.#keys = createLocalJWKSet(keySet);
    } catch (error) {
      this.#refreshAt = Date.now() + RETRY_AFTER_MS;
      if (!this.#unreachable)
        this.#logger.warn({ url: this.#url, err: error }, "the identity provider's keys (AUTH_JWKS_URL) cannot be fetched: keys fetched before keep working");
      this.#unreachable = true;
      throw new UnavailableError(
        'token_keys_unavailable',
        "The identity provider's keys cannot be fetched right now, and this token needs one this server does not have yet: try again shortly",
      );
    }
    this.#refreshAt = Date.now() + REFRESH_AFTER_MS;
    if (this.#unreachable) this.#logger.info({ url: this.#url, keys: keySet.keys.length }, "the identity provider's keys can be fetched again");
    this.#unreachable = false;
  }
}
