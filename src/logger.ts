import { pino, type Logger } from 'pino';

/** Structured JSON logs (one object per line), the format log shippers and PM2 handle well. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'labyrinth' } });
}
export type { Logger };
