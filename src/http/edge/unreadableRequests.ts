import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { DomainError } from '../../domainErrors.ts';
import { unsafeTextProblem } from '../../untrustedInput.ts';

/** Longer path segments are refused: no id of ours comes near (UUIDs, 128-character client ids). */
const MAX_SEGMENT_LENGTH = 256;

/** The `type` of the error `rejectInvalidUtf8` raises, which errorResponses.ts turns into a 400. */
export const INVALID_UTF8_BODY = 'body.invalid_utf8';

/**
 * Refuses, before any route reads it, a path whose segments do not decode to safe text: broken
 * percent escapes, invalid UTF-8, control characters (a `%00` reached PostgreSQL and failed the
 * query), lone surrogates, overlong segments. 400 `invalid_path`, the same on every route.
 */
export const refuseUnreadablePaths: RequestHandler = (req, _res, next) => {
  for (const segment of req.path.split('/')) {
    const problem = segmentProblem(segment);
    // A plain DomainError is a 400 (see httpStatusOf).
    if (problem) return next(new DomainError('invalid_path', `The path ${problem}`, 'path'));
  }
  next();
};

function segmentProblem(segment: string): string | undefined {
  if (segment.length > MAX_SEGMENT_LENGTH) return `has a segment longer than ${MAX_SEGMENT_LENGTH} characters`;
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return 'is not percent-encoded UTF-8';
  }
  return unsafeTextProblem(decoded);
}

/**
 * `express.json`'s `verify` hook: a body that is not valid UTF-8 is refused, instead of being
 * decoded with U+FFFD in place of the bad bytes and stored changed.
 */
export function rejectInvalidUtf8(_req: IncomingMessage, _res: unknown, body: Buffer): void {
  if (!isUtf8(body)) throw Object.assign(new Error('The request body is not valid UTF-8'), { type: INVALID_UTF8_BODY });
}
