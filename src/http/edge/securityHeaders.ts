import type { RequestHandler } from 'express';
import helmet from 'helmet';

type Directives = Record<string, string[]>;

/**
 * What every answer may load, run and be framed by. The demo and Swagger UI need nothing from
 * elsewhere: scripts and styles are files of this server, images its tiles (and the demo's empty
 * `data:` icon). No page may be framed (clickjacking on the admin prompts and buttons).
 */
function baseDirectives(publicAddress: string | undefined): Directives {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    // 'self' covers ws:/wss: to the page's own host and port (CSP Level 3; tests/browser checks it).
    'connect-src': ["'self'", ...roomSockets(publicAddress)],
    'font-src': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'img-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'"],
  };
}

/**
 * With PUBLIC_ADDRESS, seat reservations send the SDK to that host, on the port of whichever
 * process holds the room (`127.0.0.1:{port}`, or another host than the page's): its sockets on any
 * port of that host.
 */
function roomSockets(publicAddress: string | undefined): string[] {
  if (publicAddress === undefined) return [];
  const host = publicAddress.split('/')[0]!.split(':')[0]!;
  return [`ws://${host}:*`, `wss://${host}:*`];
}

/**
 * Pages whose bundles this project does not build, and what each needs beyond the base: Swagger
 * UI's logo is an SVG with a `<style>` of its own (allowed by its hash, swagger-ui-dist 5.35; the
 * browser test tells when an upgrade changes it). The Colyseus monitor (React and MUI) injects its
 * styles at run time and loads Google's Material Icons font; the playground (development only)
 * injects styles too. Both are behind the admin password, and only their own paths get these.
 */
const PAGE_DIRECTIVES: Record<'/docs' | '/monitor' | '/playground', Directives> = {
  '/docs': {
    'style-src': ["'self'", "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='"],
  },
  '/monitor': {
    'style-src': ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
    'font-src': ["'self'", 'https://fonts.gstatic.com'],
  },
  '/playground': {
    'style-src': ["'self'", "'unsafe-inline'"],
  },
};

/**
 * Security headers on every answer (helmet): a Content-Security-Policy, `X-Content-Type-Options:
 * nosniff`, `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer`, … Then, on the paths of
 * PAGE_DIRECTIVES, the policy that page needs. Left out: HSTS (the proxy that terminates TLS decides it for its host),
 * `upgrade-insecure-requests` (it would break a plain-HTTP server reached by a LAN address).
 */
export function securityHeaders(publicAddress: string | undefined): { all: RequestHandler; pages: [path: string, RequestHandler][] } {
  const base = baseDirectives(publicAddress);
  const policy = (directives: Directives) => ({ useDefaults: false, directives });
  return {
    all: helmet({
      contentSecurityPolicy: policy(base),
      strictTransportSecurity: false,
      xFrameOptions: { action: 'deny' },
      // Pages of ALLOWED_ORIGINS show the tile images (<img> from another origin).
      crossOriginResourcePolicy: { policy: 'cross-origin' },
    }),
    pages: Object.entries(PAGE_DIRECTIVES).map(([path, directives]) => [path, helmet.contentSecurityPolicy(policy({ ...base, ...directives }))]),
  };
}
