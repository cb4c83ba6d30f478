import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { UnauthorizedError } from '../domainErrors.ts';

/**
 * Guards admin routes. Accepts HTTP Basic with user `admin` (what browsers and curl -u send) or
 * `Authorization: Bearer <password>` (what scripts send).
 */
export function requireAdmin(adminPassword: string): RequestHandler {
  return requireOneOf([adminPassword], 'admin_required', 'This route needs the admin password');
}

/**
 * Whether a request carries the admin password (routes open to everyone that show admins more,
 * such as a session's seed during a round). Never challenges.
 */
export function adminRecognizer(adminPassword: string): (req: Request) => boolean {
  const expected = [digest(adminPassword)];
  return (req) => presents(expected, req);
}

/**
 * Guards `/metrics`: the admin password, or METRICS_TOKEN when set, a credential that can read
 * metrics and nothing else (presented the same ways).
 */
export function requireMetricsAccess(adminPassword: string, metricsToken: string | undefined): RequestHandler {
  const accepted = metricsToken === undefined ? [adminPassword] : [adminPassword, metricsToken];
  return requireOneOf(accepted, 'metrics_credentials_required', 'This route needs METRICS_TOKEN or the admin password');
}

function requireOneOf(secrets: string[], code: string, message: string): RequestHandler {
  const expected = secrets.map(digest);
  return (req, res, next) => {
    if (presents(expected, req)) {
      next();
      return;
    }
    // A Basic challenge makes browsers show their login prompt (wanted for /monitor). A caller that
    // sent a Bearer token is a script or a page's fetch(): a Basic challenge would pop the browser's
    // prompt over that page (or leave a headless one waiting), so it gets a Bearer challenge.
    const usedBearer = req.headers.authorization?.toLowerCase().startsWith('bearer ') === true;
    res.setHeader('WWW-Authenticate', usedBearer ? 'Bearer realm="labyrinth admin"' : 'Basic realm="labyrinth admin", charset="UTF-8"');
    next(new UnauthorizedError(code, message));
  };
}

function presents(expected: Buffer[], req: Request): boolean {
  const presented = presentedSecret(req.headers.authorization);
  if (presented === undefined) return false;
  const candidate = digest(presented);
  return expected.some((secret) => timingSafeEqual(candidate, secret));
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
