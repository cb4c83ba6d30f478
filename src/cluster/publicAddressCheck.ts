import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { Logger } from '../logger.ts';

/**
 * How long the start-up check waits for DNS. A private network may have slow or no DNS for a name
 * its clients resolve elsewhere; the check only warns, so it never holds anything up for long.
 */
export const LOOKUP_TIMEOUT_MS = 2000;

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');
const UNSPECIFIED = new Set(['0.0.0.0', '::']);

/**
 * Warns (one `warn` line, never a refusal) when PUBLIC_ADDRESS, already filled in by the config,
 * cannot be where clients reach this process: every join through another process hands it to the
 * SDK, and a wrong one shows up only as close code 1006 with an empty MatchMakeError.
 */
export async function warnIfPublicAddressUnreachable(logger: Logger, publicAddress: string | undefined, port: number): Promise<void> {
  if (publicAddress === undefined) return;
  const problem = await publicAddressProblem(publicAddress, port);
  if (problem) logger.warn({ publicAddress, problem }, `PUBLIC_ADDRESS ${publicAddress} may not be where clients reach this process: ${problem}`);
}

/** Why clients could not reach this process at `publicAddress` (`host[:port][/path]`), if they could not. */
export async function publicAddressProblem(publicAddress: string, port: number): Promise<string | undefined> {
  const [, host, ownPort, path] = /^([^:/]+)(?::(\d+))?(\/.*)?$/.exec(publicAddress) ?? [];
  if (!host) return undefined; // the config's own check lets nothing else through
  const resolved = await lookupWithin(host, LOOKUP_TIMEOUT_MS);
  if (typeof resolved === 'string') return resolved;
  if (resolved.every((address) => UNSPECIFIED.has(address))) {
    return `${host} is the unspecified address (listen on all interfaces), not one a client can connect to`;
  }
  // A bare host:port on this machine is reached directly, without a proxy routing by path or name.
  const onLoopback = resolved.every((address) => loopback.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4'));
  if (onLoopback && !path && ownPort !== undefined && Number(ownPort) !== port) {
    return `it names port ${ownPort} on loopback but this process listens on ${port} (use {port})`;
  }
  return undefined;
}

/** The host's addresses, or why there are none. */
async function lookupWithin(host: string, ms: number): Promise<string[] | string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`${host} did not resolve within ${ms} ms`), ms);
  });
  const answer = lookup(host, { all: true }).then(
    (addresses) => addresses.map((entry) => entry.address),
    (error: NodeJS.ErrnoException) => `${host} does not resolve (${error.code ?? error.message})`,
  );
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
}
