import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  createDocument,
  type oas31,
  type ZodOpenApiObject,
  type ZodOpenApiOperationObject,
  type ZodOpenApiResponseObject,
  type ZodOpenApiResponsesObject,
} from 'zod-openapi';
import { projectRoot } from '../projectRoot.ts';
import { errorResponse, legacyErrorResponse } from './errorSchemas.ts';
import { withEdgeAnswers } from './openApiEdgeAnswers.ts';
import { RATE_LIMITED_OPERATIONS } from './rateLimits.ts';
import * as legacy from './legacyApiSchemas.ts';
import { mazeRequest } from './mazeInput.ts';
import * as rest from './restApiSchemas.ts';

// The OpenAPI 3.1 document served at /openapi.json (and shown at /docs), generated from the zod
// schemas that validate the requests (mazeInput.ts, restApiSchemas.ts, legacyApiSchemas.ts) and
// describe the answers. tests/server/openApiDocument.test.ts checks that every route Express
// serves is here, and every response the HTTP tests receive validates against it.

type Operation = ZodOpenApiOperationObject;

const json = (schema: z.ZodType, description: string): ZodOpenApiResponseObject => ({
  description,
  content: { 'application/json': { schema } },
});
const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema } } });
const file = (mediaTypes: string[], description: string): ZodOpenApiResponseObject => ({
  description,
  content: Object.fromEntries(mediaTypes.map((mediaType) => [mediaType, { schema: { type: 'string', format: 'binary' } }])),
});

/** Error answers, by status, in the shape of the API they belong to. */
function errors(shape: z.ZodType, statuses: Record<number, string>): ZodOpenApiResponsesObject {
  return Object.fromEntries(Object.entries(statuses).map(([status, description]) => [status, json(shape, description)]));
}
const SESSION_CAP = { 503: 'MAX_SESSIONS sessions exist already (`session_limit_reached`): delete some, or try again later.' };
const INVALID = { 422: 'Invalid input (`invalid_input`); `field` names the field at fault.' };
const ADMIN_REFUSED = { 401: 'The admin password is missing or wrong (`admin_required`).' };

const admin: oas31.SecurityRequirementObject[] = [{ adminBasic: [] }, { adminBearer: [] }];

const restApiPaths = {
  '/api/labyrinths/preview': {
    post: {
      tags: ['labyrinths'],
      summary: 'Generate a maze, store nothing',
      description: 'The same `(size, seed)` gives the same maze on every machine. Without a seed the server makes one and returns it.',
      requestBody: body(mazeRequest),
      responses: { 200: json(rest.maze, 'The maze.'), ...errors(errorResponse, INVALID) },
    },
  },
  '/api/sessions': {
    post: {
      tags: ['sessions'],
      summary: 'Create a session',
      description:
        'Stores the labyrinth, its tiles and the session in one statement. Join its room with `sessionId` = `id`. The seed is not in the answer (`null`) unless the caller is an admin: it gives the maze away.',
      requestBody: body(rest.sessionRequest),
      responses: { 201: json(rest.session, 'The session.'), ...errors(errorResponse, { ...INVALID, ...SESSION_CAP }) },
    },
    get: {
      tags: ['sessions'],
      summary: 'List sessions, newest first',
      requestParams: { query: rest.pageQuery },
      responses: { 200: json(rest.sessionPage, 'A page of sessions, each with its running room (`live`).'), ...errors(errorResponse, INVALID) },
    },
    delete: {
      tags: ['sessions'],
      summary: 'Delete every session and labyrinth (admin)',
      description: 'Running rooms close; their clients get close code 4404.',
      security: admin,
      responses: { 200: json(rest.deletedCount, 'How many sessions were deleted.'), ...errors(errorResponse, ADMIN_REFUSED) },
    },
  },
  '/api/sessions/{id}': {
    get: {
      tags: ['sessions'],
      summary: 'One session',
      requestParams: { path: rest.sessionIdPath },
      responses: { 200: json(rest.session, 'The session.'), ...errors(errorResponse, { 404: 'Unknown session (`session_not_found`).' }) },
    },
    delete: {
      tags: ['sessions'],
      summary: 'Delete a session (admin)',
      description: 'Deletes it with its labyrinth, tiles, players and clients; its room closes (close code 4404).',
      security: admin,
      requestParams: { path: rest.sessionIdPath },
      responses: {
        204: { description: 'Deleted.' },
        ...errors(errorResponse, { ...ADMIN_REFUSED, 404: 'Unknown session (`session_not_found`).' }),
      },
    },
  },
  '/api/sessions/{id}/labyrinth': {
    get: {
      tags: ['sessions'],
      summary: "A session's labyrinth with every tile (admin, or anyone once the round is finished)",
      requestParams: { path: rest.sessionIdPath },
      responses: {
        200: json(rest.storedLabyrinth, 'The labyrinth; `revealed` marks the tiles players have seen.'),
        ...errors(errorResponse, {
          403: 'The round on this maze is not finished and the caller is not an admin (`maze_hidden`).',
          404: 'Unknown session (`session_not_found`).',
        }),
      },
    },
  },
  '/api/sessions/{id}/events': {
    get: {
      tags: ['sessions'],
      summary: "A page of a session's audit trail",
      description:
        'Every accepted action, numbered (`seq`), with server time and actor. Admins read all of it; anyone else the events up to the end of the last finished round (a round in play, or the next maze, would be given away). Replaying a finished round from its events gives its stored result.',
      requestParams: { path: rest.sessionIdPath, query: rest.eventQuery },
      responses: { 200: json(rest.eventPage, 'The events, oldest first.'), ...errors(errorResponse, { ...INVALID, 404: 'Unknown session (`session_not_found`).' }) },
    },
  },
  '/api/entities': {
    get: {
      tags: ['content'],
      summary: 'Reference game content',
      requestParams: { query: rest.entityQuery },
      responses: { 200: json(rest.entityList, 'The entities, by id.'), ...errors(errorResponse, INVALID) },
    },
  },
  '/api/entities/{id}': {
    get: {
      tags: ['content'],
      summary: 'One entity with its equipment, skills and specials',
      requestParams: { path: rest.entityIdPath },
      responses: { 200: json(rest.entityDetails, 'The entity.'), ...errors(errorResponse, { 404: 'Unknown entity (`entity_not_found`).' }) },
    },
  },
} satisfies Record<string, Record<string, Operation>>;

const LEGACY_SESSION_404 = { 404: 'Unknown session (`detail`: "Session not found").' };
const LEGACY_TOKEN_403 = { 403: 'The client_token does not belong to this client_id (`invalid_client_token`), or it is missing.' };
const legacyInputErrors = (statuses: Record<number, string> = {}) => ({
  ...errors(legacyErrorResponse, { ...INVALID, ...statuses }),
});

const legacyApiPaths = {
  '/game-sessions': {
    get: { tags: ['old API'], summary: 'Every session', responses: { 200: json(legacy.legacySessionList, 'The sessions, newest first.') } },
  },
  '/create-game-session': {
    post: {
      tags: ['old API'],
      summary: 'Create a session',
      requestBody: body(mazeRequest),
      responses: { 200: json(legacy.legacySession, 'The session (the seed is honoured).'), ...legacyInputErrors(), ...errors(errorResponse, SESSION_CAP) },
    },
  },
  '/generate-labyrinth': {
    post: {
      tags: ['old API'],
      summary: 'Generate a maze, store nothing',
      requestBody: body(mazeRequest),
      responses: { 200: json(legacy.legacyMaze, 'The maze.'), ...legacyInputErrors() },
    },
  },
  '/destroy-all-sessions': {
    delete: {
      tags: ['old API'],
      summary: 'Delete every session and labyrinth (admin)',
      security: admin,
      responses: {
        200: json(legacy.legacyDetail, '`{"detail": "All game sessions deleted"}`; running rooms close.'),
        ...errors(legacyErrorResponse, ADMIN_REFUSED),
      },
    },
  },
  '/api/game_sessions': {
    get: { tags: ['old API'], summary: 'Every session', responses: { 200: json(legacy.legacySessionsObject, 'The sessions, newest first.') } },
  },
  '/api/game_sessions/create': {
    post: {
      tags: ['old API'],
      summary: 'Create a session',
      requestBody: body(mazeRequest),
      responses: { 200: json(legacy.legacyCreated, 'The session.'), ...legacyInputErrors(), ...errors(errorResponse, SESSION_CAP) },
    },
  },
  '/api/game_sessions/leave': {
    post: {
      tags: ['old API'],
      summary: 'Leave the session the client is seated in',
      description: 'The room shows the player leaving within one patch.',
      requestBody: body(legacy.clientRequest),
      responses: {
        200: json(legacy.legacyLeft, 'Left.'),
        ...legacyInputErrors({ ...LEGACY_TOKEN_403, 404: 'The client is not seated anywhere (`client_not_connected`).' }),
      },
    },
  },
  '/api/game_sessions/client_state/{clientId}': {
    get: {
      tags: ['old API'],
      summary: 'Where a client is seated',
      requestParams: { path: legacy.clientIdPath },
      responses: { 200: json(legacy.legacyClientState, 'The session the client is seated in, or nulls.') },
    },
  },
  '/api/game_sessions/{sessionId}/join': {
    post: {
      tags: ['old API'],
      summary: 'Seat a client in a session',
      description:
        'The first call with a new client_id claims it and returns its client_token; later calls for that client_id must present it. ' +
        'The room shows the player (not connected: it holds no socket) within one patch.',
      requestParams: { path: legacy.sessionIdPath },
      requestBody: body(legacy.clientRequest),
      responses: {
        200: json(legacy.legacyJoined, 'Seated (or already seated there: "Client already connected").'),
        ...legacyInputErrors({
          ...LEGACY_TOKEN_403,
          ...LEGACY_SESSION_404,
          409: 'Seated in another session (`client_in_other_session`, `sessionId` names it), or a round is being played (`game_in_progress`).',
          503: 'The server is overloaded and takes no newcomers (`server_overloaded`): try again shortly.',
        }),
      },
    },
  },
  '/api/game_sessions/{sessionId}/clients': {
    get: {
      tags: ['old API'],
      summary: 'The clients seated in a session',
      requestParams: { path: legacy.sessionIdPath },
      responses: { 200: json(legacy.legacyClients, 'First seated first.'), ...errors(legacyErrorResponse, LEGACY_SESSION_404) },
    },
  },
  '/api/game_sessions/{sessionId}/toggle_readiness': {
    post: {
      tags: ['old API'],
      summary: "Set a seated client's readiness",
      description: 'Sets (does not flip) readiness; the room and the `/ws/{session_id}` channel show it.',
      requestParams: { path: legacy.sessionIdPath },
      requestBody: body(legacy.readinessRequest),
      responses: {
        200: json(legacy.legacyReadiness, "Everyone's readiness."),
        ...legacyInputErrors({ 403: 'Not seated in this session, or a wrong client_token.', ...LEGACY_SESSION_404 }),
      },
    },
  },
  '/api/game_sessions/{sessionId}/status': {
    get: {
      tags: ['old API'],
      summary: "Everyone's readiness",
      requestParams: { path: legacy.sessionIdPath },
      responses: {
        200: json(legacy.legacyReadiness, '`all_ready` is false without players.'),
        ...errors(legacyErrorResponse, LEGACY_SESSION_404),
      },
    },
  },
} satisfies Record<string, Record<string, Operation>>;

const serverPaths = {
  '/health': {
    get: { tags: ['operations'], summary: 'Liveness', responses: { 200: json(rest.health, 'The process answers.') } },
  },
  '/ready': {
    get: {
      tags: ['operations'],
      summary: 'Readiness, for load balancers',
      responses: {
        200: json(rest.readiness, 'The database (and Redis, when used) answer, and the process is not overloaded.'),
        503: json(rest.readiness, 'A part does not answer, or the process is overloaded: `ok: false` with a `reason` on it.'),
      },
    },
  },
  '/metrics': {
    get: {
      tags: ['operations'],
      summary: "This process's metrics (Prometheus text format)",
      security: [...admin, { metricsToken: [] }],
      responses: {
        200: { description: 'Metrics.', content: { 'text/plain': { schema: { type: 'string' } } } },
        ...errors(errorResponse, { 401: 'Neither METRICS_TOKEN nor the admin password (`metrics_credentials_required`).' }),
      },
    },
  },
  '/tiles/{name}': {
    get: {
      tags: ['operations'],
      summary: 'A tile image (PNG, 256×256)',
      requestParams: { path: z.object({ name: rest.mazeTile.shape.image }) },
      responses: { 200: file(['image/png'], 'The image.'), ...errors(errorResponse, { 404: 'No such image (`route_not_found`).' }) },
    },
  },
  '/': {
    get: {
      tags: ['operations'],
      summary: 'The browser client demo',
      responses: {
        200: file(['text/html'], 'The demo page.'),
        ...errors(errorResponse, { 503: 'The demo is not built (`client_demo_not_built`): run `npm run build:client`.' }),
      },
    },
  },
  '/assets/{file}': {
    get: {
      tags: ['operations'],
      summary: "The client demo's bundles (named by content hash)",
      requestParams: { path: z.object({ file: z.string() }) },
      responses: { 200: file(['text/javascript', 'text/css'], 'A script or style sheet.'), ...errors(errorResponse, { 404: 'No such file.' }) },
    },
  },
  '/monitor': {
    get: {
      tags: ['operations'],
      summary: 'The Colyseus monitor: rooms, clients and state (admin)',
      security: admin,
      responses: { 200: file(['text/html'], 'The monitor.'), ...errors(errorResponse, ADMIN_REFUSED) },
    },
  },
  '/playground': {
    get: {
      tags: ['operations'],
      summary: 'The Colyseus playground (admin; only with NODE_ENV=development)',
      security: admin,
      responses: { 200: file(['text/html'], 'The playground.'), ...errors(errorResponse, ADMIN_REFUSED) },
    },
  },
  '/docs': {
    get: { tags: ['operations'], summary: 'This document, readable (Swagger UI)', responses: { 200: file(['text/html'], 'Swagger UI.') } },
  },
  '/openapi.json': {
    get: {
      tags: ['operations'],
      summary: 'This document',
      responses: { 200: { description: 'OpenAPI 3.1.', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  },
} satisfies Record<string, Record<string, Operation>>;

const DESCRIPTION = `
Realtime backend for multiplayer labyrinth games. Three ways in:

- **The REST API** under \`/api\` (camelCase JSON): maze previews, sessions and game content.
- **A Colyseus room per session**, which clients join with the official SDK (\`@colyseus/sdk\`):
  \`client.joinOrCreate('labyrinth', { sessionId, clientId, clientToken, name })\`. The SDK's
  matchmaking requests (\`/matchmake/…\`) and the room's WebSocket are Colyseus's own protocol, not
  listed here. The room's state, messages, error codes and close codes (4404 session deleted, 4409
  seat taken over, 4001 server restarting: join again) are in the README ("Joining a session").
- **The old HTTP API** of the FastAPI proof of concept (snake_case, tag "old API"), for clients that
  cannot hold a socket, and its push channel: a plain WebSocket at \`/ws/{session_id}\` that receives
  \`{"players": [{"client_id", "ready"}], "all_ready"}\` (the LegacyReadiness schema) on connect and
  after every join, leave, drop and readiness change, wherever the room runs. Messages from the
  client are ignored; an unknown session answers 404 to the upgrade.

**Errors** are always JSON: \`{"error": {"code", "message", "field"?}}\` (the Error schema): 400
unreadable JSON, 401 credentials missing or wrong, 403 not yours, 404 unknown session, entity or
route, 409 conflict, 422 invalid input (\`field\` names it). The old API adds FastAPI's \`detail\`.

**Credentials.** Admin routes take \`ADMIN_PASSWORD\`, as HTTP Basic with user \`admin\` or as
\`Authorization: Bearer <password>\`; a refused request is a 401 whose \`WWW-Authenticate\`
challenge matches what was sent. \`/metrics\` also takes \`METRICS_TOKEN\` (Bearer), which reads
metrics and nothing else. A clientId is proven by its \`clientToken\` (old API: \`client_token\`
or the \`X-Client-Token\` header), handed out by its first join.
`.trim();

const document: ZodOpenApiObject = {
  openapi: '3.1.0',
  info: { title: 'Labyrinth realtime server', version: packageVersion(), description: DESCRIPTION },
  tags: [
    { name: 'labyrinths', description: 'Mazes, written nowhere.' },
    { name: 'sessions', description: 'Game sessions: a labyrinth and the players seated in its room.' },
    { name: 'content', description: 'Reference game content, loaded from seed/*.csv at every start.' },
    { name: 'old API', description: "The FastAPI proof of concept's routes: same paths, snake_case, its flaws fixed." },
    { name: 'operations', description: 'Health, readiness, metrics, static files and admin tools.' },
  ],
  paths: withEdgeAnswers(
    { ...restApiPaths, ...legacyApiPaths, ...serverPaths },
    {
      rateLimited: RATE_LIMITED_OPERATIONS,
      usesDatabase: (_path, operation) => !operation.tags?.includes('operations') && !operation.tags?.includes('labyrinths'),
    },
  ),
  components: {
    securitySchemes: {
      adminBasic: { type: 'http', scheme: 'basic', description: 'User `admin`, password `ADMIN_PASSWORD`.' },
      adminBearer: { type: 'http', scheme: 'bearer', description: '`Authorization: Bearer <ADMIN_PASSWORD>`.' },
      metricsToken: { type: 'http', scheme: 'bearer', description: '`Authorization: Bearer <METRICS_TOKEN>`, for /metrics only.' },
    },
  },
};

/** The document, generated once per process. */
let generated: ReturnType<typeof createDocument> | undefined;
export function openApiDocument(): ReturnType<typeof createDocument> {
  generated ??= createDocument(document);
  return generated;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
}
