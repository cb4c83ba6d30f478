import { z } from 'zod';
import { PLAYER_ID_PATTERN } from '../../identity/playerIds.ts';
import { cell, direction, mazeTile } from '../rest/restApiSchemas.ts';

// What the old HTTP API (the FastAPI proof of concept's routes, snake_case) reads and answers.
// legacyApi.ts validates requests with these schemas, and the OpenAPI document is generated from
// them; the tests validate every response they receive against that document.

// --- requests -------------------------------------------------------------------------------

const clientToken = z
  .string()
  .max(256)
  .optional()
  .meta({ description: 'The client_token this client_id was given (also accepted as the X-Client-Token header).' });

export const clientRequest = z.object({
  client_id: z
    .string()
    .min(1, 'is required')
    .regex(PLAYER_ID_PATTERN, 'must be 1 to 128 letters, digits or _-.:@')
    .optional()
    .meta({ description: "The guest's id. Required unless `Authorization: Bearer <token>` signs the player in (then it may be left out)." }),
  client_token: clientToken,
});

export const readinessRequest = clientRequest.extend({ ready: z.boolean({ error: 'must be true or false' }) });

export const sessionIdPath = z.object({ sessionId: z.string().meta({ description: 'A session id (a UUID).' }) });
export const clientIdPath = z.object({ clientId: z.string() });

// --- responses ------------------------------------------------------------------------------

/** The seed gives the maze away: "" until the round is finished (old clients expect a string). */
const hiddenSeed = z.string().meta({ description: 'Empty ("") until the round on this maze is finished: the seed gives the maze away.' });

const fields = {
  seed: hiddenSeed,
  labyrinth_id: z.uuid(),
  size: z.int(),
  start_x: z.int().min(0),
  start_y: z.int().min(0),
};

export const legacySession = z.object({ id: z.uuid(), ...fields, created_at: z.iso.datetime() }).meta({ id: 'LegacySession' });

export const legacySessionList = z.array(legacySession);

export const legacySessionsObject = z.object({ sessions: z.array(legacySession) });

export const legacyCreated = z.object({
  message: z.literal('Game session created successfully'),
  session_id: z.uuid(),
  ...fields,
  created_at: z.iso.datetime(),
});

export const legacyMaze = z
  .object({
    seed: z.string(),
    size: z.int(),
    start_x: z.int().min(0),
    start_y: z.int().min(0),
    exit: cell,
    tiles: z.array(
      z.object({
        x: mazeTile.shape.x,
        y: mazeTile.shape.y,
        type: mazeTile.shape.type,
        open_directions: z.array(direction),
        image: mazeTile.shape.image,
      }),
    ),
  })
  .meta({ id: 'LegacyMaze' });

export const legacyDetail = z.object({ detail: z.string() });

export const legacyJoined = z.object({
  message: z.enum(['Connected successfully', 'Client already connected']),
  session_id: z.uuid(),
  map_seed: hiddenSeed,
  labyrinth_id: z.uuid(),
  start_x: z.int().min(0),
  start_y: z.int().min(0),
  size: z.int(),
  client_token: z.string().meta({ description: 'Keep it: every later call for this client_id must present it. "" for a player signed in with a token.' }),
});

export const legacyLeft = z.object({ message: z.literal('Disconnected successfully'), session_id: z.uuid() });

export const legacyClients = z.object({
  clients: z.array(z.object({ client_id: z.string(), connected_at: z.iso.datetime() })),
});

export const legacyClientState = z.object({
  client_id: z.string(),
  connected_session: z.uuid().nullable(),
  session_details: z.object({ session_id: z.uuid(), ...fields }).nullable(),
});

export const legacyReadiness = z
  .object({
    players: z.array(z.object({ client_id: z.string(), ready: z.boolean() })),
    all_ready: z.boolean().meta({ description: 'True only when at least one player is seated and all are ready.' }),
  })
  .meta({ id: 'LegacyReadiness' });
