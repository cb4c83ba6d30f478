import { Router, type Request, type RequestHandler } from 'express';
import type { ContentService } from '../content/ContentService.ts';
import { generateMaze } from '../maze/generateMaze.ts';
import { newMazeSeed } from '../maze/newMazeSeed.ts';
import type { SessionRooms } from '../../rooms/SessionRooms.ts';
import type { SessionService } from '../sessions/SessionService.ts';
import { mazeRequest } from './mazeInput.ts';
import { entityQuery, eventQuery, pageQuery, sessionRequest } from './restApiSchemas.ts';
import { disclosedSession } from './sessionDisclosure.ts';
import { validateInput } from './validateInput.ts';

export type RestApiServices = {
  sessions: SessionService;
  rooms: SessionRooms;
  content: ContentService;
  /** Guard for routes only an operator may call. */
  requireAdmin: RequestHandler;
  /** Whether a request carries the admin password: admins see a round's seed and maze during play. */
  isAdmin: (req: Request) => boolean;
};

/**
 * The REST API under /api (camelCase JSON). Its requests and answers are described by the schemas in
 * restApiSchemas.ts, from which /openapi.json is generated; docs/http-api.md shows each route with an example.
 */
export function restApi({ sessions, rooms, content, requireAdmin, isAdmin }: RestApiServices): Router {
  const api = Router();

  // Preview writes nothing: the old system stored a labyrinth on every preview.
  api.post('/labyrinths/preview', (req, res) => {
    const { size, seed } = validateInput(mazeRequest, req.body);
    res.json(generateMaze(size, seed ?? newMazeSeed()));
  });

  api.post('/sessions', async (req, res) => {
    const input = validateInput(sessionRequest, req.body);
    res.status(201).json(disclosedSession(await sessions.createSession(input), isAdmin(req)));
  });

  // Each session carries `live`: its running room's players, connections and allReady, or null.
  api.get('/sessions', async (req, res) => {
    const [page, live] = await Promise.all([sessions.listSessions(validateInput(pageQuery, req.query)), rooms.liveRooms()]);
    const admin = isAdmin(req);
    res.json({ ...page, sessions: page.sessions.map((session) => ({ ...disclosedSession(session, admin), live: live.get(session.id) ?? null })) });
  });

  api.delete('/sessions', requireAdmin, async (_req, res) => {
    res.json(await rooms.deleteAllSessions());
  });

  api.get('/sessions/:id', async (req, res) => {
    res.json(disclosedSession(await sessions.getSession(req.params.id), isAdmin(req)));
  });

  api.get('/sessions/:id/labyrinth', async (req, res) => {
    res.json(await sessions.getLabyrinth(req.params.id, { admin: isAdmin(req) }));
  });

  // The audit trail: admins read all of it, anyone else what is published (finished rounds).
  api.get('/sessions/:id/events', async (req, res) => {
    const page = validateInput(eventQuery, req.query);
    const { events, more } = await sessions.listEvents(req.params.id, { ...page, admin: isAdmin(req) });
    res.json({ events, more });
  });

  api.delete('/sessions/:id', requireAdmin, async (req: Request<{ id: string }>, res) => {
    await rooms.deleteSession(req.params.id);
    res.status(204).end();
  });

  api.get('/entities', async (req, res) => {
    res.json({ entities: await content.listEntities(validateInput(entityQuery, req.query)) });
  });

  api.get('/entities/:id', async (req, res) => {
    res.json(await content.getEntity(req.params.id));
  });

  return api;
}
