import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ForbiddenError, UnauthorizedError } from '../../domainErrors.ts';
import { errorBody } from '../plumbing/errorResponses.ts';
import { addressOf, lockedOutError, type FailedAdminLogins } from './failedAdminLogins.ts';
import { playerOf } from './signedInPlayers.ts';

/**
 * Guards admin routes. Accepts HTTP Basic with user `admin` (what browsers and curl -u send) or
 * `Authorization: Bearer <password>` (what scripts send), or a player's token carrying
 * AUTH_ADMIN_CLAIM (signed in by signedInPlayers.ts). Wrong credentials count against the client
 * address (failedAdminLogins.ts).
 */
export function requireAdmin(adminPassword: string, failures: FailedAdminLogins): RequestHandler {
  return requireOneOf([adminPassword], failures, 'admin_required', 'This route needs the admin password');
}

/**
 * Whether a request carries the admin password (routes open to everyone that show admins more,
 * such as a session's seed during a round). Never challenges; a wrong password counts as a failed
 * login all the same, and an address locked out is not recognized, so these routes cannot serve
 * to guess the password either.
 */
export function adminRecognizer(adminPassword: string, failures: FailedAdminLogins): (req: Request) => Promise<boolean> {
  const expected = [digest(adminPassword)];
  return async (req) => {
    const player = playerOf(req);
    if (player) return player.admin;
    if (!req.headers.authorization) return false;
    if ((await failures.lockedOut(addressOf(req))) !== undefined) return false;
    if (matches(expected, presentedSecret(req.headers.authorization))) return true;
    await failures.failed(addressOf(req));
    return false;
  };
}

/**
 * Guards `/metrics`: the admin password, or METRICS_TOKEN when set, a credential that can read
 * metrics and nothing else (presented the same ways).
 */
export function requireMetricsAccess(adminPassword: string, metricsToken: string | undefined, failures: FailedAdminLogins): RequestHandler {
  const accepted = metricsToken === undefined ? [adminPassword] : [adminPassword, metricsToken];
  return requireOneOf(accepted, failures, 'metrics_credentials_required', 'This route needs METRICS_TOKEN or the admin password');
}

function requireOneOf(secrets: string[], failures: FailedAdminLogins, code: string, message: string): RequestHandler {
  const expected = secrets.map(digest);
  return async (req, res, next) => {
    const retryAfter = await failures.lockedOut(addressOf(req));
    if (retryAfter !== undefined) {
      // Answered here, in the shared error shape of every limit (not the API's own, like a 401).
      const refused = lockedOutError(retryAfter);
      res.setHeader('Retry-After', String(retryAfter));
      res.status(429).json(errorBody(refused.code, refused.message));
      return;
    }
    if (matches(expected, presentedSecret(req.headers.authorization))) {
      next();
      return;
    }
    // A valid token (a bad one was refused before any route): admin by its claim, or not at all.
    const player = playerOf(req);
    if (player) {
      next(player.admin ? undefined : new ForbiddenError(code, `${message}: the token's player (${player.clientId}) is not an admin (AUTH_ADMIN_CLAIM)`));
      return;
    }
    // No credentials at all is a browser's first request, before its login prompt: not a guess.
    // Any other (another user, another scheme) is a wrong one.
    if (req.headers.authorization) await failures.failed(addressOf(req));
    // A Basic challenge makes browsers show their login prompt (wanted for /monitor). A caller that
    // sent a Bearer token is a script or a page's fetch(): a Basic challenge would pop the browser's
    // prompt over that page (or leave a headless one waiting), so it gets a Bearer challenge.
    const usedBearer = req.headers.authorization?.toLowerCase().startsWith('bearer ') === true;
    res.setHeader('WWW-Authenticate', usedBearer ? 'Bearer realm="labyrinth admin"' : 'Basic realm="labyrinth admin", charset="UTF-8"');
    next(new UnauthorizedError(code, message));
  };
}

/**
 * Whether a bearer credential is one of the server's own secrets (the admin password, METRICS_TOKEN)
 * rather than a player's token, compared as every credential check here compares.
 */
export function serverSecretMatcher(secrets: (string | undefined)[]): (credential: string) => boolean {
  const expected = secrets.filter((secret) => secret !== undefined).map(digest);
  return (credential) => matches(expected, credential);
}

/** Compared with every accepted secret, not stopping at the first that matches. */
function matches(expected: Buffer[], presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const candidate = digest(presented);
  return expected.map((secret) => timingSafeEqual(candidate, secret)).includes(true);
}

function presentedSecret(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, credentials = ''] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer') {
    return credentials;
  }
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    if (separator >= 0 && decoded.slice(0, separator) === 'admin') {
      return decoded.slice(separator + 1);
    }
  }
  return undefined;
}

/** Comparing fixed-length digests keeps the comparison constant-time whatever the input length. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
