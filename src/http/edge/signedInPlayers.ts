import type { Request, RequestHandler } from 'express';
import { UnauthorizedError } from '../../domainErrors.ts';
import type { Accounts } from '../../identity/Accounts.ts';
import { PlayerTokens, type SignedInPlayer } from '../../identity/PlayerTokens.ts';
import { addressOf, lockedOutError, type FailedAdminLogins } from './failedAdminLogins.ts';

/** Players signed in by their requests' tokens, for the routes and guards that ask (playerOf). */
const signedIn = new WeakMap<Request, SignedInPlayer>();

/** The player a request's token signed in, if it carried a valid one. */
export function playerOf(req: Request): SignedInPlayer | undefined {
  return signedIn.get(req);
}

/**
 * Players' tokens over HTTP, when AUTH_* name a key. A request whose bearer credential is a JWT
 * (`Authorization: Bearer <token>`, as the SDK sends it) is signed in on every route: routes that
 * act as a player act as the token's, and a token with AUTH_ADMIN_CLAIM passes the admin guards
 * (adminAuth.ts). A token that is not valid is refused with 401 naming why, and counts as a failed
 * login from the client address, like a wrong admin password: past ADMIN_LOGIN_FAILURES in 15
 * minutes that address's tokens are refused with 429 until the window ends. A banned player's token
 * is refused with 403. Other credentials (the admin password, METRICS_TOKEN) pass untouched.
 */
export class SignedInPlayers {
  readonly #accounts: Accounts;
  readonly #failures: FailedAdminLogins;
  readonly #isServerSecret: (credential: string) => boolean;

  /** `isServerSecret`: whether a bearer credential is the admin password or METRICS_TOKEN, which are no tokens. */
  constructor(accounts: Accounts, failures: FailedAdminLogins, isServerSecret: (credential: string) => boolean) {
    this.#accounts = accounts;
    this.#failures = failures;
    this.#isServerSecret = isServerSecret;
  }

  /** Signs in the token a request carries, before any route. */
  readonly middleware: RequestHandler = async (req, _res, next) => {
    const token = this.#presentedToken(req);
    if (token !== undefined && PlayerTokens.isToken(token)) await this.#signIn(req, token);
    next();
  };

  /**
   * The player a route that acts as one acts for, from the request's token: there, any bearer
   * credential but the server's own secrets is taken for a token, so one that is not even a JWT is
   * refused as malformed.
   */
  async playerFor(req: Request): Promise<SignedInPlayer | undefined> {
    const token = this.#presentedToken(req);
    if (playerOf(req) || token === undefined) return playerOf(req);
    return this.#signIn(req, token);
  }

  /** The bearer credential, when this server takes tokens and it is not one of the server's own secrets. */
  #presentedToken(req: Request): string | undefined {
    const credential = bearerCredential(req);
    if (!this.#accounts.tokens || credential === undefined || this.#isServerSecret(credential)) return undefined;
    return credential;
  }

  async #signIn(req: Request, token: string): Promise<SignedInPlayer> {
    const address = addressOf(req);
    const retryAfter = await this.#failures.lockedOut(address);
    if (retryAfter !== undefined) {
      req.res?.setHeader('Retry-After', String(retryAfter));
      throw lockedOutError(retryAfter);
    }
    let player: SignedInPlayer;
    try {
      player = (await this.#accounts.signIn(token))!;
    } catch (error) {
      if (error instanceof UnauthorizedError) {
        await this.#failures.failed(address);
        req.res?.setHeader('WWW-Authenticate', `Bearer realm="labyrinth", error="invalid_token", error_description="${error.code}"`);
      }
      throw error;
    }
    await this.#accounts.bans.refuseBanned(player.clientId);
    signedIn.set(req, player);
    return player;
  }
}

/** The credential of `Authorization: Bearer <credential>`, if the request has one. */
function bearerCredential(req: Request): string | undefined {
  const [scheme, credential] = req.headers.authorization?.split(' ', 2) ?? [];
  return scheme?.toLowerCase() === 'bearer' && credential ? credential : undefined;
}
