import type { Request } from 'express';
import { NotFoundError } from '../../domainErrors.ts';
import type { Accounts } from '../../identity/Accounts.ts';
import { generateMaze } from '../../maze/generateMaze.ts';
import { newMazeSeed } from '../../maze/newMazeSeed.ts';
import type { SessionRooms } from '../../../rooms/SessionRooms.ts';
import type { SessionService } from '../../sessions/SessionService.ts';
import type { SignedInPlayers } from '../edge/signedInPlayers.ts';
import { legacyErrorResponse } from '../plumbing/errorSchemas.ts';
import { legacyErrors, legacyReadiness, legacySession, publishedSeed } from './legacyAnswers.ts';
import * as legacy from './legacyApiSchemas.ts';
import { mazeRequest } from '../rest/mazeInput.ts';
import { errors, json } from '../plumbing/openApiResponses.ts';
import { routeOf, type RouteTable } from '../plumbing/routeTable.ts';

export type LegacyApiServices = {
  sessions: SessionService;
  rooms: SessionRooms;
  accounts: Accounts;
  players: SignedInPlayers;
};

const route = routeOf<LegacyApiServices>();
const tag = 'old API';
const refused = (statuses: Record<number, string>) => errors(legacyErrorResponse, statuses);
const SESSION_404 = { 404: 'Unknown session (`detail`: "Session not found").' };
const IDENTITY_REFUSED = {
  403: 'The client_token does not belong to this client_id (`invalid_client_token`), or it is missing; or the player is banned (`banned`).',
  401: "Guests may not play here (AUTH_GUESTS is off: `token_required`), or the caller's token is not valid (`token_expired`, `token_invalid_signature`, …).",
};

/**
 * Who a call acts as: the player its token signs in (`Authorization: Bearer`), or a guest proving
 * its client_id with its client_token (in the body, or the X-Client-Token header). Banned players are refused.
 */
async function caller(
  { accounts, players }: LegacyApiServices,
  req: Request,
  body: { client_id?: string | undefined; client_token?: string | undefined },
): Promise<{ clientId: string; clientToken: string }> {
  const signedIn = await players.playerFor(req);
  const clientId = await accounts.playerId(signedIn, body.client_id, 'client_id');
  if (signedIn) return { clientId, clientToken: '' };
  return { clientId, ...(await accounts.proveGuest(clientId, body.client_token ?? req.get('x-client-token'))) };
}

/**
 * The HTTP API of the FastAPI proof of concept: same paths, same snake_case fields (a few added),
 * its flaws fixed. It shares the session service and the room bridge with everything else, so a
 * change made here reaches socket clients in the room within one patch, and vice versa.
 * Errors keep FastAPI's `{"detail": …}` and add our `{"error": {code, message}}`.
 */
export const legacyApiRoutes: RouteTable<LegacyApiServices> = {
  errorShape: legacyErrorResponse,
  answerErrors: legacyErrors,
  routes: [
    route({
      method: 'get',
      path: '/game-sessions',
      tag,
      summary: 'Every session',
      responses: { 200: json(legacy.legacySessionList, 'The sessions, newest first.') },
      handle: async ({ services: { sessions }, res }) => {
        const { sessions: list } = await sessions.listSessions({ limit: 1000, offset: 0, withPrivate: false });
        res.json(list.map(legacySession));
      },
    }),
    route({
      method: 'post',
      path: '/create-game-session',
      tag,
      summary: 'Create a session',
      request: { body: mazeRequest },
      responses: { 200: json(legacy.legacySession, 'The session (the seed is honoured).') },
      limit: 'sessionCreates',
      handle: async ({ input: { body }, services: { sessions }, res }) => {
        res.json(legacySession(await sessions.createSession(body)));
      },
    }),
    route({
      method: 'post',
      path: '/generate-labyrinth',
      tag,
      summary: 'Generate a maze, store nothing',
      request: { body: mazeRequest },
      responses: { 200: json(legacy.legacyMaze, 'The maze.') },
      limit: 'previews',
      // Writes nothing (the old route stored a labyrinth on every preview).
      handle: ({ input: { body }, res }) => {
        const maze = generateMaze(body.size, body.seed ?? newMazeSeed());
        res.json({
          seed: maze.seed,
          size: maze.size,
          start_x: maze.startX,
          start_y: maze.startY,
          exit: maze.exit,
          tiles: maze.tiles.map((tile) => ({ x: tile.x, y: tile.y, type: tile.type, open_directions: tile.openDirections, image: tile.image })),
        });
      },
    }),
    route({
      method: 'delete',
      path: '/destroy-all-sessions',
      tag,
      summary: 'Delete every session and labyrinth (admin)',
      responses: { 200: json(legacy.legacyDetail, '`{"detail": "All game sessions deleted"}`; running rooms close.') },
      access: 'admin',
      handle: async ({ services: { rooms }, res }) => {
        await rooms.deleteAllSessions();
        res.json({ detail: 'All game sessions deleted' });
      },
    }),
    route({
      method: 'get',
      path: '/api/game_sessions',
      tag,
      summary: 'Every session',
      responses: { 200: json(legacy.legacySessionsObject, 'The sessions, newest first.') },
      handle: async ({ services: { sessions }, res }) => {
        const { sessions: list } = await sessions.listSessions({ limit: 1000, offset: 0, withPrivate: false });
        res.json({ sessions: list.map(legacySession) });
      },
    }),
    route({
      method: 'post',
      path: '/api/game_sessions/create',
      tag,
      summary: 'Create a session',
      request: { body: mazeRequest },
      responses: { 200: json(legacy.legacyCreated, 'The session.') },
      limit: 'sessionCreates',
      handle: async ({ input: { body }, services: { sessions }, res }) => {
        const { id, ...rest } = legacySession(await sessions.createSession(body));
        res.json({ message: 'Game session created successfully', session_id: id, ...rest });
      },
    }),
    route({
      method: 'post',
      path: '/api/game_sessions/leave',
      tag,
      summary: 'Leave the session the client is seated in',
      description: 'The room shows the player leaving within one patch.',
      request: { body: legacy.clientRequest },
      responses: {
        200: json(legacy.legacyLeft, 'Left.'),
        ...refused({ ...IDENTITY_REFUSED, 404: 'The client is not seated anywhere (`client_not_connected`).' }),
      },
      handle: async ({ input: { body }, services, req, res }) => {
        const { sessions, rooms } = services;
        const { clientId } = await caller(services, req, body);
        const seat = await sessions.findSeat(clientId);
        const left = seat ? await rooms.call(seat.sessionId, 'leaveOverHttp', clientId) : false;
        if (!left) throw new NotFoundError('client_not_connected', 'Client not connected to any session', 'client_id');
        res.json({ message: 'Disconnected successfully', session_id: seat?.sessionId });
      },
    }),
    route({
      method: 'get',
      path: '/api/game_sessions/client_state/:clientId',
      tag,
      summary: 'Where a client is seated',
      request: { params: legacy.clientIdPath },
      responses: { 200: json(legacy.legacyClientState, 'The session the client is seated in, or nulls.') },
      handle: async ({ input: { params }, services: { sessions }, res }) => {
        const seat = await sessions.findSeat(params.clientId);
        const session = seat ? await sessions.getSession(seat.sessionId) : null;
        res.json({
          client_id: params.clientId,
          connected_session: session?.id ?? null,
          session_details: session
            ? {
                session_id: session.id,
                labyrinth_id: session.labyrinthId,
                seed: publishedSeed(session),
                size: session.size,
                start_x: session.startX,
                start_y: session.startY,
              }
            : null,
        });
      },
    }),
    route({
      method: 'post',
      path: '/api/game_sessions/:sessionId/join',
      tag,
      summary: 'Seat a client in a session',
      description:
        'The first call with a new client_id claims it and returns its client_token; later calls for that client_id must present it. ' +
        'The room shows the player (not connected: it holds no socket) within one patch.',
      request: { params: legacy.sessionIdPath, body: legacy.clientRequest },
      responses: {
        200: json(legacy.legacyJoined, 'Seated (or already seated there: "Client already connected").'),
        ...refused({
          ...IDENTITY_REFUSED,
          ...SESSION_404,
          409: 'Seated in another session (`client_in_other_session`, `sessionId` names it), or a round is being played (`game_in_progress`).',
          503: 'The server is overloaded and takes no newcomers (`server_overloaded`): try again shortly.',
        }),
      },
      limit: 'joins',
      handle: async ({ input: { params, body }, services, req, res }) => {
        const { sessions, rooms } = services;
        const session = await sessions.getSession(params.sessionId);
        const { clientId, clientToken } = await caller(services, req, body);
        const seat = await sessions.findSeat(clientId);
        const alreadyHere = seat?.sessionId === session.id;
        if (!alreadyHere) {
          await rooms.call(session.id, 'joinOverHttp', clientId);
        }
        res.json({
          message: alreadyHere ? 'Client already connected' : 'Connected successfully',
          session_id: session.id,
          map_seed: publishedSeed(session),
          labyrinth_id: session.labyrinthId,
          start_x: session.startX,
          start_y: session.startY,
          size: session.size,
          client_token: clientToken,
        });
      },
    }),
    route({
      method: 'get',
      path: '/api/game_sessions/:sessionId/clients',
      tag,
      summary: 'The clients seated in a session',
      request: { params: legacy.sessionIdPath },
      responses: { 200: json(legacy.legacyClients, 'First seated first.'), ...refused(SESSION_404) },
      handle: async ({ input: { params }, services: { sessions }, res }) => {
        const clients = await sessions.listClients(params.sessionId);
        res.json({ clients: clients.map((client) => ({ client_id: client.clientId, connected_at: client.connectedAt })) });
      },
    }),
    route({
      method: 'post',
      path: '/api/game_sessions/:sessionId/toggle_readiness',
      tag,
      summary: "Set a seated client's readiness",
      description: 'Sets (does not flip) readiness; the room and the `/ws/{session_id}` channel show it.',
      request: { params: legacy.sessionIdPath, body: legacy.readinessRequest },
      responses: {
        200: json(legacy.legacyReadiness, "Everyone's readiness."),
        ...refused({ ...IDENTITY_REFUSED, 403: 'Not seated in this session, a wrong client_token, or a banned player (`banned`).', ...SESSION_404 }),
      },
      handle: async ({ input: { params, body }, services, req, res }) => {
        const { sessions, rooms } = services;
        const session = await sessions.getSession(params.sessionId);
        const { clientId } = await caller(services, req, body);
        res.json(legacyReadiness(await rooms.call(session.id, 'setReadyOverHttp', clientId, body.ready)));
      },
    }),
    route({
      method: 'get',
      path: '/api/game_sessions/:sessionId/status',
      tag,
      summary: "Everyone's readiness",
      request: { params: legacy.sessionIdPath },
      responses: { 200: json(legacy.legacyReadiness, '`all_ready` is false without players.'), ...refused(SESSION_404) },
      handle: async ({ input: { params }, services: { rooms }, res }) => {
        res.json(legacyReadiness(await rooms.readiness(params.sessionId)));
      },
    }),
  ],
};
