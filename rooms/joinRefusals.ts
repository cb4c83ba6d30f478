import { ServerError } from '@colyseus/core';
import type { z } from 'zod';
import { DomainError, httpStatusOf, joinRefusalMessage, UnavailableError } from '../src/domainErrors.ts';
import type { ServerMetrics } from '../src/metrics/ServerMetrics.ts';
import type { EventLoopWatch } from '../src/overload/EventLoopWatch.ts';
import { findUnsafeInput } from '../src/untrustedInput.ts';

/**
 * Parses join or create options; what does not fit refuses the join with 400 naming the field.
 * Unsafe text anywhere in them (control characters, lone surrogates, prototype keys: see
 * untrustedInput.ts) is refused first, so a name never reaches the database with a NUL in it.
 */
export function parseOptions<Schema extends z.ZodType>(schema: Schema, options: unknown): z.output<Schema> {
  const unsafe = findUnsafeInput(options, ['options']);
  if (unsafe) throw invalidOptions(unsafe.message);
  const parsed = schema.safeParse(options ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidOptions(`${issue?.path.join('.') || 'options'} ${issue?.message ?? 'is invalid'}`);
  }
  return parsed.data;
}

/** A refused join: Colyseus's error with the domain code it was refused for (`reason`, the metric's label). */
export type JoinRefusal = ServerError & { reason?: string };

/** Refuses a join with `status` (what the SDK's error `code` reads) and `reason`, which leads its message (see joinRefusalMessage). */
function joinRefusal(status: number, reason: string, message: string): JoinRefusal {
  return Object.assign(new ServerError(status, joinRefusalMessage(reason, message)), { reason });
}

/** Join options that fit no join form: 400 `invalid_options`, naming the option. */
export function invalidOptions(problem: string): JoinRefusal {
  return joinRefusal(400, 'invalid_options', `Invalid join options: ${problem}`);
}

/** Runs a join step; a domain error refuses the join with its HTTP-like code (400, 403, 404, 409), keeping its code as `reason`. */
export async function refusingJoinOn<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof DomainError) {
      // Bad options are a 400 at join time (422 is for HTTP bodies).
      const status = httpStatusOf(error);
      throw joinRefusal(status === 422 ? 400 : status, error.code, error.message);
    }
    throw error;
  }
}

/** Under overload only players coming back to their seat (`seated`) get in; newcomers are told to try again. */
export function refuseNewcomersWhenOverloaded(server: { load: EventLoopWatch; metrics: ServerMetrics }, seated: boolean): void {
  if (!server.load.overloaded || seated) return;
  server.metrics.joinRefused('overloaded');
  throw new UnavailableError('server_overloaded', `This server is overloaded (${server.load.reason}): try again shortly`);
}
