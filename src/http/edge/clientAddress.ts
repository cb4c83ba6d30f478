import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/**
 * The client address of a request as TRUST_PROXY says to read it, the way Express reads `req.ip`
 * with the same `trust proxy` setting: X-Forwarded-For is believed only from trusted proxies, so
 * a client cannot pick its own address to dodge per-address limits. Used where Express is not
 * involved (WebSocket upgrades).
 */
export function clientAddressResolver(trustProxy: boolean | number | string): (req: IncomingMessage) => string {
  const trust = trustFunction(trustProxy);
  return (req) => proxyaddr(req, trust);
}

/** Express's own translation of `trust proxy` values (express/lib/utils.js compileTrust). */
function trustFunction(trustProxy: boolean | number | string): (address: string, hop: number) => boolean {
  if (typeof trustProxy === 'boolean') return () => trustProxy;
  if (typeof trustProxy === 'number') return (_address, hop) => hop < trustProxy;
  return proxyaddr.compile(trustProxy.split(',').map((part) => part.trim()));
}
