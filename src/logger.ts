import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

/**
 * `json`: one object per line, what log shippers and PM2 handle well. `readable`: pino-pretty's
 * coloured lines (time, level, message, then each field on its own line) for a person at a terminal.
 */
export type LogFormat = 'json' | 'readable';

export function createLogger(level: string, format: LogFormat = 'json'): Logger {
  const options = { level, base: { service: 'labyrinth' } };
  if (format === 'json') {
    return pino(options);
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
