import { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiResponseObject } from 'zod-openapi';
import { errorResponse } from './errorSchemas.ts';
import type { DocumentedPaths } from './openApiPaths.ts';

// Answers routes give before (or besides) their handler, added to every operation of the OpenAPI
// document they apply to, so that each route need not list them (see mountHttpRoutes.ts).

const UNREADABLE_PATH = 'The path is unreadable: broken percent-encoding, invalid UTF-8 or control characters (`invalid_path`).';
const UNREADABLE_BODY = 'The body is not valid JSON (`invalid_json`) or not UTF-8 (`invalid_utf8`), or the path is unreadable (`invalid_path`).';
const FOREIGN_ORIGIN = 'Sent from a web page whose `Origin` is not allowed (`origin_not_allowed`, see ALLOWED_ORIGINS).';
const DATABASE_DOWN = 'The database cannot be reached right now (`database_unavailable`); `Retry-After` suggests when to try again.';
// A player's token (`Authorization: Bearer <JWT>`, when AUTH_* name a key) is checked before every route (signedInPlayers.ts).
const BAD_TOKEN =
  'The bearer token is not valid, and the code says why: `token_malformed`, `token_expired`, `token_not_yet_valid`, `token_invalid_signature`, `token_algorithm_not_allowed`, `token_wrong_issuer`, `token_wrong_audience`, `token_missing_subject`, `token_missing_expiry`.';
const BANNED = "The bearer token's player is banned (`banned`).";
const TOKENS_LOCKED_OUT =
  'Too many wrong admin credentials or tokens from this client address (`too_many_failed_logins`): tokens and admin credentials from it are refused until `Retry-After` seconds have passed.';
const KEYS_DOWN = "The identity provider's keys cannot be fetched and the token needs one not fetched before (`token_keys_unavailable`): try again shortly.";

export type EdgeAnswerOptions = {
  /** Whether an operation reads or writes the database (and so may answer 503 while it is down). */
  usesDatabase: (path: string, operation: ZodOpenApiOperationObject) => boolean;
};

export function withEdgeAnswers(paths: DocumentedPaths, options: EdgeAnswerOptions): DocumentedPaths {
  for (const [path, operations] of Object.entries(paths)) {
    for (const operation of Object.values(operations)) {
      const withBody = operation.requestBody !== undefined;
      add(operation, 400, withBody ? UNREADABLE_BODY : UNREADABLE_PATH, true);
      if (withBody) add(operation, 413, 'The body is larger than 64 kB (`body_too_large`).', true);
      add(operation, 403, FOREIGN_ORIGIN);
      if (options.usesDatabase(path, operation)) add(operation, 503, DATABASE_DOWN);
      add(operation, 401, BAD_TOKEN);
      add(operation, 403, BANNED);
      add(operation, 429, TOKENS_LOCKED_OUT);
      add(operation, 503, KEYS_DOWN);
    }
  }
  return paths;
}

/**
 * Adds an error answer; where the operation already documents that status, both shapes and
 * descriptions are kept (unless `replace`, for answers that supersede what was there).
 */
function add(operation: ZodOpenApiOperationObject, status: number, description: string, replace = false): void {
  const existing = (operation.responses as Record<number, ZodOpenApiResponseObject | undefined> | undefined)?.[status];
  const existingSchema = existing?.content?.['application/json']?.schema;
  const answer: ZodOpenApiResponseObject =
    existing && !replace && existingSchema instanceof z.ZodType
      ? {
          description: `${existing.description} Or: ${description}`,
          content: { 'application/json': { schema: existingSchema === errorResponse ? errorResponse : z.union([existingSchema, errorResponse]) } },
        }
      : { description, content: { 'application/json': { schema: errorResponse } } };
  operation.responses = { ...operation.responses, [status]: answer };
}
