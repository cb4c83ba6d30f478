import type { z } from 'zod';
import { InvalidInputError } from '../domainErrors.ts';

/**
 * Parses untrusted input with a zod schema. The first problem becomes an `InvalidInputError`
 * naming the field, so a client sees `{"error":{"code":"invalid_input","field":"size",...}}`.
 */
export function validateInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input ?? {});
  if (result.success) {
    return result.data;
  }
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : undefined;
  const message = issue ? (field ? `${field}: ${issue.message}` : issue.message) : 'Invalid input';
  throw new InvalidInputError('invalid_input', message, field);
}
