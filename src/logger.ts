import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

/**
 * `json`: one object per line, what log shippers and PM2 handle well. `readable`: pino-pretty's
 * coloured lines (time, level, message, then each field on its own line) for a person at a terminal.
 */
export type LogFormat = 'json' | 'readable';

/**
 * Credentials never reach the logs, at any level: request headers that carry them (pino-http logs
 * every request's headers at debug), and any field named like a token or a password, at the top
 * level or one object down. (The generated admin password is logged on purpose, once, under its
 * own name: see startupSummary.ts.)
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-client-token"]',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  ...['authorization', 'cookie', 'token', 'clientToken', 'client_token', 'reconnectionToken', 'password', 'adminPassword', 'secret'].flatMap((name) => [
    name,
    `*.${name}`,
  ]),
];

/** `destination` is for tests that read what was logged; the server writes to stdout. */
export function createLogger(level: string, format: LogFormat = 'json', destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'labyrinth' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (format === 'json') {
    return destination ? pino(options, destination) : pino(options);
  }
  return pino(
    options,
    pretty({
      colorize: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'service,component',
      messageFormat: '{if component}[{component}] {end}{msg}',
      // Written before the process exits, like pino's own JSON output (a fatal start error included).
      sync: true,
    }),
  );
}

/** Readable logs in development when a person watches the terminal; JSON lines everywhere else. */
export function logFormatFor(nodeEnv: string, output: { isTTY?: boolean } = process.stdout): LogFormat {
  return nodeEnv === 'development' && output.isTTY === true ? 'readable' : 'json';
}

export type { Logger };
