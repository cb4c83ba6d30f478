import { MatchMakeError, ServerError } from '@colyseus/sdk';

/**
 * The code of a refusal from the server: joins reject with a MatchMakeError (the SDK wraps the
 * matchmaker's ServerError), other SDK calls with a ServerError. Undefined for anything else (a
 * network failure).
 */
export function serverErrorCode(error: unknown): number | undefined {
  return error instanceof MatchMakeError || error instanceof ServerError ? error.code : undefined;
}
