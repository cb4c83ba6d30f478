import { assertDocumentedResponse } from './documentedResponses.ts';
import { TEST_ADMIN_PASSWORD, TEST_BASE_URL } from './testServer.ts';

/**
 * JSON the tests read, HTTP answers and log lines: untyped, the one `any` of the tests (named in
 * eslint.config.js). Every HTTP answer `request` receives is checked against the OpenAPI document
 * at run time instead; room state and messages are typed (labyrinthClient.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type UntypedJson = any;

export type JsonResponse = { status: number; body: UntypedJson; headers: Headers };

/**
 * A JSON request to the test server, as any HTTP client would send it. The answer must match the
 * OpenAPI document (tests/support/documentedResponses.ts), or the request fails the test.
 */
export async function request(
  method: string,
  path: string,
  options: { json?: unknown; rawBody?: string; headers?: Record<string, string>; admin?: boolean } = {},
): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.rawBody !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = options.rawBody;
  }
  if (options.admin) {
    headers.authorization = `Bearer ${TEST_ADMIN_PASSWORD}`;
  }
  const response = await fetch(`${TEST_BASE_URL}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text.length > 0 && response.headers.get('content-type')?.includes('json')) {
    parsed = JSON.parse(text);
  }
  assertDocumentedResponse(method, path, response.status, response.headers.get('content-type'), parsed ?? text);
  return { status: response.status, body: parsed ?? text, headers: response.headers };
}
