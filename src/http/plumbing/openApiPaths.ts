import type { z } from 'zod';
import type { oas31, ZodOpenApiOperationObject, ZodOpenApiResponsesObject } from 'zod-openapi';
import { errorResponse } from './errorSchemas.ts';
import { errors } from './openApiResponses.ts';
import type { RateLimitedKind } from '../edge/rateLimits.ts';
import { documentedPath, type Route, type RouteAccess, type RouteTable } from './routeTable.ts';

// The OpenAPI paths of a route table (see routeTable.ts): each entry's own prose and answers, and
// the answers that follow from the entry itself (its validated input, its access, its limit).

const INVALID = 'Invalid input (`invalid_input`); `field` names the field at fault.';
const RATE_LIMITED = 'Too many requests of this kind from this client address (`rate_limited`); `Retry-After` says in how many seconds to try again.';
const LOCKED_OUT =
  'Too many wrong admin credentials from this client address (`too_many_failed_logins`, ADMIN_LOGIN_FAILURES per 15 minutes): every admin request from it is refused until `Retry-After` seconds have passed.';
const NOT_AN_ADMIN = "The bearer token's player is not an admin (`admin_required`): only tokens carrying AUTH_ADMIN_CLAIM pass.";
const SESSION_CAP = 'MAX_SESSIONS sessions exist already (`session_limit_reached`): delete some, or try again later.';

const ADMIN_SECURITY: oas31.SecurityRequirementObject[] = [{ adminBasic: [] }, { adminBearer: [] }, { playerToken: [] }];

/** Each access: the credentials the document names, and the 401 without them. */
const ACCESS: Record<RouteAccess, { security: oas31.SecurityRequirementObject[]; refused: string }> = {
  admin: { security: ADMIN_SECURITY, refused: 'The admin password is missing or wrong (`admin_required`).' },
  metrics: { security: [...ADMIN_SECURITY, { metricsToken: [] }], refused: 'Neither METRICS_TOKEN nor the admin password (`metrics_credentials_required`).' },
};

/**
 * The security, the 401 and the 429 of a route guarded by `access`: the 401 in the error shape of
 * its API, the 429 (a limit) in the shared one.
 */
export function documentedAccess(access: RouteAccess, errorShape: z.ZodType): Pick<ZodOpenApiOperationObject, 'security' | 'responses'> {
  return {
    security: ACCESS[access].security,
    responses: { ...errors(errorShape, { 401: ACCESS[access].refused, 403: NOT_AN_ADMIN }), ...errors(errorResponse, { 429: LOCKED_OUT }) },
  };
}

/** Operations by path and method, as the document lists them. */
export type DocumentedPaths = Record<string, Record<string, ZodOpenApiOperationObject>>;

export function openApiPaths<Services>(table: RouteTable<Services>): DocumentedPaths {
  const paths: DocumentedPaths = {};
  for (const route of table.routes) {
    const path = documentedPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operationOf(route, table.errorShape) };
  }
  return paths;
}

function operationOf<Services>(route: Route<Services>, errorShape: z.ZodType): ZodOpenApiOperationObject {
  const { params, query, body } = route.request ?? {};
  const access = route.access ? documentedAccess(route.access, errorShape) : undefined;
  const responses: ZodOpenApiResponsesObject = {
    ...route.responses,
    // Path parameters cannot be invalid: their schemas take any text, and refuseUnreadablePaths
    // screened it before any route.
    ...(query || body ? errors(errorShape, { 422: INVALID }) : {}),
    ...access?.responses,
    ...(route.limit ? limitAnswers(route.limit) : {}),
  };
  return {
    tags: [route.tag],
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    ...(access ? { security: access.security } : {}),
    ...(params || query ? { requestParams: { ...(params ? { path: params } : {}), ...(query ? { query } : {}) } } : {}),
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
    responses,
  };
}

/** Limits answer before the API does, so in the shared error shape. */
function limitAnswers(limit: RateLimitedKind): ZodOpenApiResponsesObject {
  const capped: Record<number, string> = limit === 'sessionCreates' ? { 503: SESSION_CAP } : {};
  return errors(errorResponse, { 429: RATE_LIMITED, ...capped });
}
