/**
 * Which web pages may use this server from a browser: their `Origin` must be the server's own, one
 * of ALLOWED_ORIGINS, or (in development) any localhost port. Requests without an `Origin` (curl,
 * native clients, Node's SDK, same-origin navigations) are not from a foreign page and pass: the
 * allow-list protects browser users' credentials and sockets from other sites, not the API from
 * non-browser callers (the rate limits do that).
 */
export class OriginPolicy {
  readonly #listed: ReadonlySet<string>;
  readonly #any: boolean;
  readonly #localhost: boolean;

  constructor(allowedOrigins: readonly string[], options: { allowLocalhost: boolean }) {
    this.#any = allowedOrigins.includes('*');
    this.#listed = new Set(allowedOrigins.map((origin) => origin.toLowerCase()));
    this.#localhost = options.allowLocalhost;
  }

  /** Whether a request carrying `origin` (the header, if any), sent to `host` (the Host header), may proceed. */
  allows(origin: string | undefined, host: string | undefined): boolean {
    if (origin === undefined) return true;
    if (this.#any) return true;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false; // `null` (sandboxed frames, file://) and anything unparsable
    }
    if (url.origin.toLowerCase() !== origin.toLowerCase()) return false;
    if (this.#listed.has(url.origin.toLowerCase())) return true;
    if (host !== undefined && url.host.toLowerCase() === host.toLowerCase()) return true;
    return this.#localhost && LOCAL_HOSTNAMES.has(url.hostname);
  }
}

const LOCAL_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
