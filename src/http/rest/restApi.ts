import type { Request } from 'express';
import type { ContentService } from '../../content/ContentService.ts';
import { NotFoundError } from '../../domainErrors.ts';
import type { Bans } from '../../identity/Bans.ts';
import type { Logger } from '../../logger.ts';
import { generateMaze } from '../../maze/generateMaze.ts';
import { newMazeSeed } from '../../maze/newMazeSeed.ts';
import type { SessionRooms } from '../../../rooms/SessionRooms.ts';
import type { SessionService } from '../../sessions/SessionService.ts';
import { errorResponse } from '../plumbing/errorSchemas.ts';
import { mazeRequest } from './mazeInput.ts';
import { errors, json } from '../plumbing/openApiResponses.ts';
import * as rest from './restApiSchemas.ts';
import { routeOf, type RouteTable } from '../plumbing/routeTable.ts';
import { disclosedSession } from './sessionDisclosure.ts';
import { playerOf } from '../edge/signedInPlayers.ts';

export type RestApiServices = {
  sessions: SessionService;
  rooms: SessionRooms;
  content: ContentService;
  /** Whether a request carries the admin password (or an admin's token): admins see a round's seed and maze during play. */
  isAdmin: (req: Request) => Promise<boolean>;
  bans: Bans;
  logger: Logger;
};

const route = routeOf<RestApiServices>();
const SESSION_404 = { 404: 'Unknown session (`session_not_found`).' };

/** Who an admin request comes from, as bans and the audit trail record it: a signed-in admin's id, or `admin` (the password). */
const adminOf = (req: Request): string => playerOf(req)?.clientId ?? 'admin';

/**
 * The REST API under /api (camelCase JSON). Its requests and answers are described by the schemas in
 * restApiSchemas.ts, from which /openapi.json is generated; docs/http-api.md shows each route with an example.
 */
export const restApiRoutes: RouteTable<RestApiServices> = {
  errorShape: errorResponse,
  routes: [
    route({
      method: 'post',
      path: '/api/labyrinths/preview',
      tag: 'labyrinths',
      summary: 'Generate a maze, store nothing',
      description: 'The same `(size, seed)` gives the same maze on every machine. Without a seed the server makes one and returns it.',
      request: { body: mazeRequest },
      responses: { 200: json(rest.maze, 'The maze.') },
      limit: 'previews',
      // Preview writes nothing: the old system stored a labyrinth on every preview.
      handle: ({ input: { body }, res }) => {
        res.json(generateMaze(body.size, body.seed ?? newMazeSeed()));
      },
    }),
    route({
      method: 'post',
      path: '/api/sessions',
      tag: 'sessions',
      summary: 'Create a session',
      description:
        'Stores the labyrinth, its tiles and the session in one statement. Join its room with `sessionId` = `id`. The seed is not in the answer (`null`) unless the caller is an admin: it gives the maze away.',
      request: { body: rest.sessionRequest },
      responses: { 201: json(rest.session, 'The session.') },
      limit: 'sessionCreates',
      handle: async ({ input: { body }, services: { sessions, isAdmin }, req, res }) => {
        res.status(201).json(disclosedSession(await sessions.createSession(body), await isAdmin(req)));
      },
    }),
    route({
      method: 'get',
      path: '/api/sessions',
      tag: 'sessions',
      summary: 'List sessions, newest first',
      description: 'Private sessions are listed to admins only.',
      request: { query: rest.pageQuery },
      responses: { 200: json(rest.sessionPage, 'A page of sessions, each with its running room (`live`).') },
      // Each session carries `live`: its running room's players, connections and allReady, or null.
      handle: async ({ input: { query }, services: { sessions, rooms, isAdmin }, req, res }) => {
        const admin = await isAdmin(req);
        const [page, live] = await Promise.all([sessions.listSessions({ ...query, withPrivate: admin }), rooms.liveRooms()]);
        res.json({ ...page, sessions: page.sessions.map((session) => ({ ...disclosedSession(session, admin), live: live.get(session.id) ?? null })) });
      },
    }),
    route({
      method: 'delete',
      path: '/api/sessions',
      tag: 'sessions',
      summary: 'Delete every session and labyrinth (admin)',
      description: 'Running rooms close; their clients get close code 4404.',
      responses: { 200: json(rest.deletedCount, 'How many sessions were deleted.') },
      access: 'admin',
      handle: async ({ services: { rooms }, res }) => {
        res.json(await rooms.deleteAllSessions());
      },
    }),
    route({
      method: 'get',
      path: '/api/sessions/:id',
      tag: 'sessions',
      summary: 'One session',
      request: { params: rest.sessionIdPath },
      responses: { 200: json(rest.session, 'The session.'), ...errors(errorResponse, SESSION_404) },
      handle: async ({ input: { params }, services: { sessions, isAdmin }, req, res }) => {
        res.json(disclosedSession(await sessions.getSession(params.id), await isAdmin(req)));
      },
    }),
    route({
      method: 'get',
      path: '/api/sessions/:id/labyrinth',
      tag: 'sessions',
      summary: "A session's labyrinth with every tile (admin, or anyone once the round is finished)",
      request: { params: rest.sessionIdPath },
      responses: {
        200: json(rest.storedLabyrinth, 'The labyrinth; `revealed` marks the tiles players have seen.'),
        ...errors(errorResponse, { 403: 'The round on this maze is not finished and the caller is not an admin (`maze_hidden`).', ...SESSION_404 }),
      },
      handle: async ({ input: { params }, services: { sessions, isAdmin }, req, res }) => {
        res.json(await sessions.getLabyrinth(params.id, { admin: await isAdmin(req) }));
      },
    }),
    route({
      method: 'get',
      path: '/api/sessions/:id/events',
      tag: 'sessions',
      summary: "A page of a session's audit trail",
      description:
        'Every accepted action, numbered (`seq`), with server time and actor. Admins read all of it; anyone else the events up to the end of the last finished round (a round in play, or the next maze, would be given away). Replaying a finished round from its events gives its stored result.',
      request: { params: rest.sessionIdPath, query: rest.eventQuery },
      responses: { 200: json(rest.eventPage, 'The events, oldest first.'), ...errors(errorResponse, SESSION_404) },
      handle: async ({ input: { params, query }, services: { sessions, isAdmin }, req, res }) => {
        const { events, more } = await sessions.listEvents(params.id, { ...query, admin: await isAdmin(req) });
        res.json({ events, more });
      },
    }),
    route({
      method: 'delete',
      path: '/api/sessions/:id',
      tag: 'sessions',
      summary: 'Delete a session (admin)',
      description: 'Deletes it with its labyrinth, tiles, players and clients; its room closes (close code 4404).',
      request: { params: rest.sessionIdPath },
      responses: { 204: { description: 'Deleted.' }, ...errors(errorResponse, SESSION_404) },
      access: 'admin',
      handle: async ({ input: { params }, services: { rooms }, res }) => {
        await rooms.deleteSession(params.id);
        res.status(204).end();
      },
    }),
    route({
      method: 'post',
      path: '/api/sessions/:id/kick',
      tag: 'sessions',
      summary: 'Remove a player from a session (admin)',
      description:
        "The player's seat is freed (a `player_kicked` event in the audit trail) and its connections to the session's room are closed with code 4410 (a spectator's too). It may join again: to keep it out, ban it.",
      request: { params: rest.sessionIdPath, body: rest.kickRequest },
      responses: {
        204: { description: 'Removed.' },
        ...errors(errorResponse, { 404: 'Unknown session (`session_not_found`), or the player is not in it (`player_not_found`).' }),
      },
      access: 'admin',
      handle: async ({ input: { params, body }, services: { sessions, rooms, logger }, req, res }) => {
        await sessions.getSession(params.id);
        const removal = { by: adminOf(req), reason: body.reason ?? null, banned: false };
        await rooms.kick(params.id, body.clientId, removal);
        logger.info({ sessionId: params.id, clientId: body.clientId, ...removal }, 'player kicked');
        res.status(204).end();
      },
    }),
    route({
      method: 'get',
      path: '/api/bans',
      tag: 'players',
      summary: 'The bans in force, newest first (admin)',
      request: { query: rest.pageQuery },
      responses: { 200: json(rest.banPage, 'A page of bans.') },
      access: 'admin',
      handle: async ({ input: { query }, services: { bans }, res }) => {
        res.json(await bans.list(query));
      },
    }),
    route({
      method: 'post',
      path: '/api/bans',
      tag: 'players',
      summary: 'Ban a player (admin)',
      description:
        'Every join of the identity (room sockets, quick play, the old API) and every HTTP call made with its token is refused (403 `banned`), in every process. Its seat is freed and its connections are closed with code 4403. A ban already in force is kept (200).',
      request: { body: rest.banRequest },
      responses: { 201: json(rest.ban, 'Banned.'), 200: json(rest.ban, 'It already was: the ban in force.') },
      access: 'admin',
      handle: async ({ input: { body }, services: { bans, rooms, logger }, req, res }) => {
        const by = adminOf(req);
        const { ban, created } = await bans.ban(body.clientId, by, body.reason);
        await rooms.removeEverywhere(body.clientId, { by, reason: body.reason, banned: true });
        if (created) logger.warn({ clientId: body.clientId, by, reason: body.reason }, 'player banned');
        res.status(created ? 201 : 200).json(ban);
      },
    }),
    route({
      method: 'delete',
      path: '/api/bans/:clientId',
      tag: 'players',
      summary: 'Lift a ban (admin)',
      request: { params: rest.clientIdPath },
      responses: { 204: { description: 'Lifted: the player may join again.' }, ...errors(errorResponse, { 404: 'No ban in force for it (`ban_not_found`).' }) },
      access: 'admin',
      handle: async ({ input: { params }, services: { bans, logger }, req, res }) => {
        const by = adminOf(req);
        if (!(await bans.lift(params.clientId, by))) throw new NotFoundError('ban_not_found', `${params.clientId} is not banned`, 'clientId');
        logger.warn({ clientId: params.clientId, by }, 'ban lifted');
        res.status(204).end();
      },
    }),
    route({
      method: 'get',
      path: '/api/entities',
      tag: 'content',
      summary: 'Reference game content',
      request: { query: rest.entityQuery },
      responses: { 200: json(rest.entityList, 'The entities, by id.') },
      handle: async ({ input: { query }, services: { content }, res }) => {
        res.json({ entities: await content.listEntities(query) });
      },
    }),
    route({
      method: 'get',
      path: '/api/entities/:id',
      tag: 'content',
      summary: 'One entity with its equipment, skills and specials',
      request: { params: rest.entityIdPath },
      responses: { 200: json(rest.entityDetails, 'The entity.'), ...errors(errorResponse, { 404: 'Unknown entity (`entity_not_found`).' }) },
      handle: async ({ input: { params }, services: { content }, res }) => {
        res.json(await content.getEntity(params.id));
      },
    }),
  ],
};
