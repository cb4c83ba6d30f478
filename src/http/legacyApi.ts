import { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import { DomainError, httpStatusOf, NotFoundError } from '../domainErrors.ts';
import type { ClientIdentityService } from '../identity/ClientIdentityService.ts';
import { generateMaze } from '../maze/generateMaze.ts';
import { newMazeSeed } from '../maze/newMazeSeed.ts';
import type { SessionRooms } from '../../rooms/SessionRooms.ts';
import { mazeIsPublished } from '../game/mazeSecrecy.ts';
import type { Readiness } from '../game/readiness.ts';
import type { SessionService } from '../sessions/SessionService.ts';
import type { SessionSummary } from '../sessions/sessionViews.ts';
import { errorBody } from './errorResponses.ts';
import { clientRequest, readinessRequest } from './legacyApiSchemas.ts';
import { mazeRequest } from './mazeInput.ts';
import { validateInput } from './validateInput.ts';

export type LegacyApiServices = {
  sessions: SessionService;
  rooms: SessionRooms;
  identity: ClientIdentityService;
  requireAdmin: RequestHandler;
};

/**
 * The HTTP API of the FastAPI proof of concept: same paths, same snake_case fields (a few added),
 * its flaws fixed. It shares the session service and the room bridge with everything else, so a
 * change made here reaches socket clients in the room within one patch, and vice versa.
 * Errors keep FastAPI's `{"detail": …}` and add our `{"error": {code, message}}`.
 */
export function legacyApi({ sessions, rooms, identity, requireAdmin }: LegacyApiServices): Router {
  const api = Router();

  /** Proves the caller may act as the client_id (token in the body or the X-Client-Token header). */
  const authenticate = (clientId: string, bodyToken: string | undefined, header: string | undefined) =>
    identity.authenticate(clientId, bodyToken ?? header);

  api.get('/game-sessions', async (_req, res) => {
    const { sessions: list } = await sessions.listSessions({ limit: 1000, offset: 0 });
    res.json(list.map(legacySession));
  });

  api.post('/create-game-session', async (req, res) => {
    res.json(legacySession(await sessions.createSession(validateInput(mazeRequest, req.body))));
  });

  // Writes nothing (the old route stored a labyrinth on every preview).
  api.post('/generate-labyrinth', (req, res) => {
    const { size, seed } = validateInput(mazeRequest, req.body);
    const maze = generateMaze(size, seed ?? newMazeSeed());
    res.json({
      seed: maze.seed,
      size: maze.size,
      start_x: maze.startX,
      start_y: maze.startY,
      exit: maze.exit,
      tiles: maze.tiles.map((tile) => ({ x: tile.x, y: tile.y, type: tile.type, open_directions: tile.openDirections, image: tile.image })),
    });
  });

  api.delete('/destroy-all-sessions', requireAdmin, async (_req, res) => {
    await rooms.deleteAllSessions();
    res.json({ detail: 'All game sessions deleted' });
  });

  api.get('/api/game_sessions', async (_req, res) => {
    const { sessions: list } = await sessions.listSessions({ limit: 1000, offset: 0 });
    res.json({ sessions: list.map(legacySession) });
  });

  api.post('/api/game_sessions/create', async (req, res) => {
    const session = await sessions.createSession(validateInput(mazeRequest, req.body));
    const { id, ...rest } = legacySession(session);
    res.json({ message: 'Game session created successfully', session_id: id, ...rest });
  });

  api.post('/api/game_sessions/leave', async (req, res) => {
    const body = validateInput(clientRequest, req.body);
    await authenticate(body.client_id, body.client_token, req.get('x-client-token'));
    const seat = await sessions.findSeat(body.client_id);
    const left = seat ? await rooms.call(seat.sessionId, 'leaveOverHttp', body.client_id) : false;
    if (!left) throw new NotFoundError('client_not_connected', 'Client not connected to any session', 'client_id');
    res.json({ message: 'Disconnected successfully', session_id: seat?.sessionId });
  });

  api.get('/api/game_sessions/client_state/:clientId', async (req, res) => {
    const seat = await sessions.findSeat(req.params.clientId);
    const session = seat ? await sessions.getSession(seat.sessionId) : null;
    res.json({
      client_id: req.params.clientId,
      connected_session: session?.id ?? null,
      session_details: session
        ? { session_id: session.id, labyrinth_id: session.labyrinthId, seed: publishedSeed(session), size: session.size, start_x: session.startX, start_y: session.startY }
        : null,
    });
  });

  api.post('/api/game_sessions/:sessionId/join', async (req, res) => {
    const body = validateInput(clientRequest, req.body);
    const session = await sessions.getSession(req.params.sessionId);
    const { clientToken } = await authenticate(body.client_id, body.client_token, req.get('x-client-token'));
    const seat = await sessions.findSeat(body.client_id);
    const alreadyHere = seat?.sessionId === session.id;
    if (!alreadyHere) {
      await rooms.call(session.id, 'joinOverHttp', body.client_id);
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
  });

  api.get('/api/game_sessions/:sessionId/clients', async (req, res) => {
    const clients = await sessions.listClients(req.params.sessionId);
    res.json({ clients: clients.map((client) => ({ client_id: client.clientId, connected_at: client.connectedAt })) });
  });

  api.post('/api/game_sessions/:sessionId/toggle_readiness', async (req, res) => {
    const body = validateInput(readinessRequest, req.body);
    const session = await sessions.getSession(req.params.sessionId);
    await authenticate(body.client_id, body.client_token, req.get('x-client-token'));
    res.json(legacyReadiness(await rooms.call(session.id, 'setReadyOverHttp', body.client_id, body.ready)));
  });

  api.get('/api/game_sessions/:sessionId/status', async (req, res) => {
    res.json(legacyReadiness(await rooms.readiness(req.params.sessionId)));
  });

  api.use(legacyErrors);
  return api;
}

/** The old push and status payload. */
export function legacyReadiness(readiness: Readiness): { players: { client_id: string; ready: boolean }[]; all_ready: boolean } {
  return {
    players: readiness.players.map((player) => ({ client_id: player.clientId, ready: player.ready })),
    all_ready: readiness.allReady,
  };
}

function legacySession(session: SessionSummary) {
  return {
    id: session.id,
    seed: publishedSeed(session),
    labyrinth_id: session.labyrinthId,
    size: session.size,
    start_x: session.startX,
    start_y: session.startY,
    created_at: session.createdAt,
  };
}

/** Old clients expect a string: "" while the seed is secret (it gives the maze away; see mazeSecrecy.ts). */
function publishedSeed(session: SessionSummary): string {
  return mazeIsPublished(session.phase) ? session.seed : '';
}

/** FastAPI's `detail` (old clients read it) next to our error object. */
const legacyErrors: ErrorRequestHandler = (error, _req, res, next) => {
  if (!(error instanceof DomainError)) {
    next(error);
    return;
  }
  const detail = error.code === 'session_not_found' ? 'Session not found' : error.message;
  res.status(httpStatusOf(error)).json({ detail, ...errorBody(error.code, error.message, error.field, error.details) });
};
