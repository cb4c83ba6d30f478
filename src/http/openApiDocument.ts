import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDocument, type ZodOpenApiObject } from 'zod-openapi';
import { projectRoot } from '../projectRoot.ts';
import { legacyApiRoutes } from './legacy/legacyApi.ts';
import { mountedAppPaths } from './mountedAppPaths.ts';
import { withEdgeAnswers } from './plumbing/openApiEdgeAnswers.ts';
import { openApiPaths } from './plumbing/openApiPaths.ts';
import { operationsRoutes } from './rest/operationsRoutes.ts';
import { restApiRoutes } from './rest/restApi.ts';

// The OpenAPI 3.1 document served at /openapi.json (and shown at /docs): its frame is here, its
// paths come from the route tables (restApi.ts, legacyApi.ts, operationsRoutes.ts), whose zod
// schemas validate the requests and describe the answers, and from mountedAppPaths.ts.
// tests/server/openApiDocument.test.ts checks that every route Express serves is here, and every
// response the HTTP tests receive validates against it.

const DESCRIPTION = `
Realtime backend for multiplayer labyrinth games. Three ways in:

- **The REST API** under \`/api\` (camelCase JSON): maze previews, sessions and game content.
- **A Colyseus room per session**, which clients join with the official SDK (\`@colyseus/sdk\`):
  \`client.joinOrCreate('labyrinth', { sessionId, clientId, clientToken, name })\`, or signed in with
  the game's identity provider (\`client.auth.token = jwt\`) without clientId and clientToken. The SDK's
  matchmaking requests (\`/matchmake/…\`) and the room's WebSocket are Colyseus's own protocol, not
  listed here. The room's join options and messages are JSON Schema at \`/protocol.json\`; its state,
  error codes and close codes (4404 session deleted, 4409 seat taken over, 4410 kicked, 4403 banned,
  4001 server restarting: join again) are in the repository's docs/protocol.md
  ("Joining a session: the room protocol"), and signing players in with the game's identity provider
  in docs/engines.md ("Signing players in").
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
metrics and nothing else. A guest's clientId is proven by its \`clientToken\` (old API:
\`client_token\` or the \`X-Client-Token\` header), handed out by its first join. When the server is
configured with AUTH_* settings, a player's token (\`Authorization: Bearer <JWT>\`) signs it in on
every route: the old API acts for the token's player, a token carrying AUTH_ADMIN_CLAIM passes the
admin routes, and a token that is not valid is a 401 whose code says why (\`token_expired\`,
\`token_invalid_signature\`, …).
`.trim();

const document: ZodOpenApiObject = {
  openapi: '3.1.0',
  info: { title: 'Labyrinth realtime server', version: packageVersion(), description: DESCRIPTION },
  tags: [
    { name: 'labyrinths', description: 'Mazes, written nowhere.' },
    { name: 'sessions', description: 'Game sessions: a labyrinth and the players seated in its room.' },
    { name: 'players', description: "Bans: identities an admin keeps out (a guest's clientId, or a signed-in player's `sub:` id)." },
    { name: 'content', description: 'Reference game content, loaded from seed/*.csv at every start.' },
    { name: 'old API', description: "The FastAPI proof of concept's routes: same paths, snake_case, its flaws fixed." },
    { name: 'operations', description: 'Health, readiness, metrics, static files and admin tools.' },
  ],
  paths: withEdgeAnswers(
    { ...openApiPaths(restApiRoutes), ...openApiPaths(legacyApiRoutes), ...openApiPaths(operationsRoutes), ...mountedAppPaths },
    { usesDatabase: (_path, operation) => !operation.tags?.includes('operations') && !operation.tags?.includes('labyrinths') },
  ),
  components: {
    securitySchemes: {
      adminBasic: { type: 'http', scheme: 'basic', description: 'User `admin`, password `ADMIN_PASSWORD`.' },
      adminBearer: { type: 'http', scheme: 'bearer', description: '`Authorization: Bearer <ADMIN_PASSWORD>`.' },
      metricsToken: { type: 'http', scheme: 'bearer', description: '`Authorization: Bearer <METRICS_TOKEN>`, for /metrics only.' },
      playerToken: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: "A token of the game's identity provider (AUTH_*): signs its player in; with AUTH_ADMIN_CLAIM, an admin.",
      },
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
