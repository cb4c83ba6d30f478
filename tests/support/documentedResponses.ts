import assert from 'node:assert/strict';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openApiDocument } from '../../src/http/openApiDocument.ts';

// Every answer the HTTP tests receive is checked against the served OpenAPI document
// (tests/support/httpClient.ts calls this), so the document cannot drift from what the server does.
// Requests to paths the document does not describe (unknown routes) are not checked here: the
// route test (tests/server/openApiDocument.test.ts) makes sure every route Express serves is in it.

type Operation = {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
};

const document = openApiDocument() as unknown as { paths: Record<string, Record<string, Operation>> };
const DOCUMENT_ID = 'openapi.json';

// JSON Schema 2020-12 is OpenAPI 3.1's schema dialect; strict mode refuses keywords it does not
// know. The whole document is added so that `$ref`s to its components resolve; its top-level
// OpenAPI fields are declared as keywords that validate nothing.
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats.default(ajv);
ajv.addVocabulary(Object.keys(document));
ajv.addSchema(document, DOCUMENT_ID);
const validators = new Map<string, ValidateFunction>();

/** The documented path template a concrete path belongs to; literal segments beat parameters. */
export function documentedPathOf(path: string): string | undefined {
  const segments = path.split('?')[0]!.split('/');
  const matches = Object.keys(document.paths).filter((template) => {
    const parts = template.split('/');
    return parts.length === segments.length && parts.every((part, i) => /^\{.+\}$/.test(part) || part === segments[i]);
  });
  const parameters = (template: string) => (template.match(/\{/g) ?? []).length;
  return matches.sort((a, b) => parameters(a) - parameters(b))[0];
}

/** The validator of one documented JSON response, compiled once. */
export function responseValidator(template: string, method: string, status: number): ValidateFunction {
  const pointer = ['paths', template, method, 'responses', String(status), 'content', 'application/json', 'schema']
    .map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1'))
    .join('/');
  let validate = validators.get(pointer);
  if (!validate) {
    validate = ajv.compile({ $ref: `${DOCUMENT_ID}#/${pointer}` });
    validators.set(pointer, validate);
  }
  return validate;
}

/** Fails the test when the document does not describe this answer exactly. */
export function assertDocumentedResponse(method: string, path: string, status: number, contentType: string | null, body: unknown): void {
  const template = documentedPathOf(path);
  const operation = template === undefined ? undefined : document.paths[template]![method.toLowerCase()];
  if (!template || !operation) return;
  const where = `${method} ${path} (${template})`;
  const response = operation.responses?.[String(status)];
  assert.ok(response, `${where} answered ${status}, which the OpenAPI document does not list`);
  const mediaType = contentType?.split(';')[0]?.trim();
  if (!mediaType) {
    assert.equal(response.content, undefined, `${where} answered ${status} without a body; the document describes one`);
    return;
  }
  assert.ok(response.content?.[mediaType], `${where} answered ${status} as ${mediaType}, which the document does not list`);
  if (mediaType === 'application/json') {
    const validate = responseValidator(template, method.toLowerCase(), status);
    assert.ok(validate(body), `${where} answered ${status} with a body that breaks the document: ${ajv.errorsText(validate.errors)}`);
  }
}
