import type { z } from 'zod';
import type { ZodOpenApiResponseObject, ZodOpenApiResponsesObject } from 'zod-openapi';

// How the route tables and the document write an answer: a JSON schema, a file, or error answers.

export const json = (schema: z.ZodType, description: string): ZodOpenApiResponseObject => ({
  description,
  content: { 'application/json': { schema } },
});

export const file = (mediaTypes: string[], description: string): ZodOpenApiResponseObject => ({
  description,
  content: Object.fromEntries(mediaTypes.map((mediaType) => [mediaType, { schema: { type: 'string', format: 'binary' } }])),
});

/** Error answers, by status, in the shape of the API they belong to. */
export function errors(shape: z.ZodType, statuses: Record<number, string>): ZodOpenApiResponsesObject {
  return Object.fromEntries(Object.entries(statuses).map(([status, description]) => [status, json(shape, description)]));
}
