import type { z } from 'zod';
import { InvalidInputError } from '../../domainErrors.ts';
import { findUnsafeInput } from '../../untrustedInput.ts';

/**
 * Parses untrusted input (a JSON body or a query) with a zod schema. The first problem becomes an
 * `InvalidInputError` naming the field, so a client sees `{"error":{"code":"invalid_input","field":"size",...}}`.
 * Before the schema looks at it, anything that is not an object (a JSON array, string, number or
 * null body) is refused as `body`, and so is unsafe text anywhere in it (see untrustedInput.ts).
 */
export function validateInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  // No body at all reads as an empty one, so the schema names the first missing field.
  const value = input === undefined ? {} : input;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError('invalid_input', 'body: must be a JSON object', 'body');
  }
  const unsafe = findUnsafeInput(value);
  if (unsafe) throw new InvalidInputError('invalid_input', unsafe.message, unsafe.field);
  const result = schema.safeParse(value);
  if (result.success) {
    return result.data;
  }
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : undefined;
  const message = issue ? (field ? `${field}: ${issue.message}` : issue.message) : 'Invalid input';
  throw new InvalidInputError('invalid_input', message, field);
}
