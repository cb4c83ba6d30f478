import { z } from 'zod';
import { DIRECTIONS } from '../../maze/directions.ts';
import { MAX_MAZE_SIZE, MIN_MAZE_SIZE } from '../../maze/generateMaze.ts';
import { TILE_IMAGE_NAMES, TILE_TYPES } from '../../maze/tileShape.ts';
import { FOG_MODES, SPECTATOR_VIEWS } from '../../game/MazeKnowledge.ts';
import { PHASES } from '../../game/phase.ts';
import { maxBotsFor } from '../../game/botSeats.ts';
import { DEFAULT_MAX_PLAYERS, MAX_MAX_PLAYERS, MIN_MAX_PLAYERS, VISIBILITIES } from '../../game/sessionAccess.ts';
import { clientIdOfSubject, PLAYER_ID_PATTERN } from '../../identity/playerIds.ts';
import { mazeRequest } from './mazeInput.ts';

// What the REST API under /api reads and answers (camelCase JSON). restApi.ts validates requests
// with these schemas, and the OpenAPI document (openApiDocument.ts) is generated from them; the
// tests validate every response they receive against that document. `id` in `.meta()` names the
// schema in the document's components.

// --- requests -------------------------------------------------------------------------------

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).meta({ description: 'Items per page.' }),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).meta({ description: 'Items to skip, newest first.' }),
});

export const fogMode = z.enum(FOG_MODES).meta({
  id: 'FogMode',
  description:
    '`team`: players share every tile any of them has seen, and see each other. `player`: each player sees only the tiles it has seen itself, and other players only while they stand where it sees (filtered per client by the server).',
});
export const spectatorView = z.enum(SPECTATOR_VIEWS).meta({
  id: 'SpectatorView',
  description:
    '`everything`: spectators see every revealed tile and every player. `after_round`: nothing of the maze or the positions until the round is finished.',
});

export const maxPlayers = z
  .int()
  .min(MIN_MAX_PLAYERS)
  .max(MAX_MAX_PLAYERS)
  .meta({ description: `Seats for players, ${MIN_MAX_PLAYERS}–${MAX_MAX_PLAYERS}; one more is refused (\`session_full\`). Spectators are not counted.` });
export const visibility = z.enum(VISIBILITIES).meta({
  id: 'Visibility',
  description:
    '`public`: listed, in the live lobby and offered to quick play. `private`: never listed (except to admins) nor offered; joined with its `code` (or its id).',
});

/** Body of `POST /api/sessions`: a maze, how its players and spectators share what they see, its seats and who finds it. */
export const sessionRequest = mazeRequest
  .extend({
    fog: fogMode.default('team'),
    spectatorView: spectatorView.default('everything'),
    maxPlayers: maxPlayers.default(DEFAULT_MAX_PLAYERS),
    visibility: visibility.default('public'),
    bots: z.int('must be an integer').min(0, 'must be at least 0').default(0).meta({
      description:
        "Seats the server plays itself (0 to `maxPlayers` − 1): shown as players with `bot: true`, always ready, exploring at a person's pace on what they have seen.",
    }),
  })
  .refine((session) => session.bots <= maxBotsFor(session.maxPlayers), {
    path: ['bots'],
    error: (issue) => {
      const { maxPlayers } = issue.input as { maxPlayers: number };
      return `must be at most ${maxBotsFor(maxPlayers)} (maxPlayers − 1: a seat stays for a person)`;
    },
  });

export const eventQuery = z.object({
  after: z.coerce.number().int().min(0).max(2_147_483_647).default(0).meta({ description: 'Only events with a greater `seq` (0: from the start).' }),
  limit: z.coerce.number().int().min(1).max(1000).default(200).meta({ description: 'Events per page.' }),
});

export const entityQuery = z.object({
  type: z.enum(['player', 'enemy', 'npc']).optional().meta({ description: 'Only entities of this type.' }),
});

/** Path parameters, any text Express decoded: an id that names nothing is a 404, never a 422. */
export const sessionIdPath = z.object({
  id: z.string().meta({ description: 'A session id (a UUID); anything else is an unknown session (404).' }),
});
export const entityIdPath = z.object({ id: z.string().meta({ description: 'An entity id from the seed CSV files.' }) });
export const clientIdPath = z.object({ clientId: z.string().meta({ description: "A clientId: a guest's, or a signed-in player's (`sub:…`)." }) });

const playerId = z
  .string()
  .regex(PLAYER_ID_PATTERN, 'must be 1 to 128 letters, digits or _-.:@|')
  .meta({ description: "A player's id as the room state shows it: a guest's clientId, or a signed-in player's `sub:` and its token's subject." });
const removalReason = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .optional()
  .meta({ description: 'Why, 1–200 characters: kept with a ban, told to the player (its close reason), in the audit trail.' });

/** Body of `POST /api/sessions/:id/kick`. */
export const kickRequest = z.object({ clientId: playerId, reason: removalReason });

/** Body of `POST /api/bans`: the identity by its id, or a signed-in player by its token's subject. */
export const banRequest = z
  .object({
    clientId: playerId.optional(),
    subject: z.string().min(1).max(1024).optional().meta({ description: "Instead of clientId: the identity provider's id for the player (a token's `sub`)." }),
    reason: removalReason,
  })
  .refine((ban) => (ban.clientId === undefined) !== (ban.subject === undefined), { path: ['clientId'], error: 'give clientId or subject, one of them' })
  .transform(({ clientId, subject, reason }) => ({ clientId: clientId ?? clientIdOfSubject(subject!), reason: reason ?? null }));

// --- responses ------------------------------------------------------------------------------

const coordinate = z
  .int()
  .min(0)
  .max(MAX_MAZE_SIZE - 1);
const mazeSide = z.int().min(MIN_MAZE_SIZE).max(MAX_MAZE_SIZE);

export const cell = z.object({ x: coordinate, y: coordinate }).meta({ id: 'Cell' });

export const direction = z.enum(DIRECTIONS).meta({ id: 'Direction', description: 'N = y−1, E = x+1, S = y+1, W = x−1.' });

const tileShape = {
  x: coordinate,
  y: coordinate,
  type: z.enum(TILE_TYPES),
  openDirections: z.array(direction).meta({ description: 'Open sides, in the order N, E, S, W.' }),
  image: z.enum(TILE_IMAGE_NAMES).meta({ description: 'The tile image, served at /tiles/{name}.' }),
};

export const mazeTile = z.object(tileShape).meta({ id: 'MazeTile' });

export const maze = z
  .object({
    seed: z.string(),
    size: mazeSide,
    startX: coordinate,
    startY: coordinate,
    exit: cell.meta({ description: 'The cell farthest from the start along the passages.' }),
    tiles: z.array(mazeTile).meta({ description: 'All size² cells, row by row (y outer, x inner).' }),
  })
  .meta({ id: 'Maze' });

export const session = z
  .object({
    id: z.uuid(),
    labyrinthId: z.uuid(),
    seed: z.string().nullable().meta({
      description: 'The seed gives the whole maze away: null until the round is finished (admins always get it).',
    }),
    size: mazeSide,
    startX: coordinate,
    startY: coordinate,
    fog: fogMode,
    spectatorView,
    maxPlayers,
    visibility,
    code: z
      .string()
      .nullable()
      .meta({ description: 'A private session\'s join code (`joinOrCreate("labyrinth", { code, clientId })`); null for a public one.' }),
    phase: z.enum(PHASES).exclude(['countdown']).meta({ description: 'As stored: a countdown shows as `lobby`.' }),
    round: z
      .int()
      .min(1)
      .meta({ description: '1 for the first maze; each new round adds one. A round has finished (and replays) when `round` > 1 or `phase` is `finished`.' }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Session' });

export const eventPage = z
  .object({
    events: z.array(
      z
        .object({
          seq: z.int().min(1).meta({ description: '1, 2, 3, … within the session.' }),
          at: z.iso.datetime().meta({ description: 'Server time.' }),
          actor: z.string().nullable().meta({ description: 'The clientId who acted; null for what the server did (a countdown, a start).' }),
          type: z
            .string()
            .meta({ description: 'player_joined, ready_changed, player_moved, chat_said, round_started, round_finished, new_round, … (README: Audit trail).' }),
          data: z.record(z.string(), z.unknown()).meta({ description: "The event's facts." }),
        })
        .meta({ id: 'SessionEvent' }),
    ),
    more: z.boolean().meta({ description: 'More events can be read now: ask again with `after` = the last `seq`.' }),
  })
  .meta({ id: 'EventPage' });

export const liveRoom = z
  .object({
    players: z.int().min(0).meta({ description: 'Seated players, connected or not, bots included.' }),
    bots: z.int().min(0).meta({ description: 'How many of the seated players are bots.' }),
    connected: z.int().min(0).meta({ description: 'Seated players holding a socket (never a bot).' }),
    allReady: z.boolean(),
    clients: z.int().min(0).meta({ description: 'Sockets in the room, spectators included.' }),
  })
  .meta({ id: 'LiveRoom', description: "The session's running room." });

export const sessionPage = z
  .object({
    sessions: z.array(session.extend({ live: liveRoom.nullable().meta({ description: 'null when no room runs.' }) })),
    total: z.int().min(0),
    limit: z.int().min(1),
    offset: z.int().min(0),
  })
  .meta({ id: 'SessionPage' });

export const storedLabyrinth = z
  .object({
    id: z.uuid(),
    seed: z.string(),
    size: mazeSide,
    startX: coordinate,
    startY: coordinate,
    exit: cell,
    tiles: z.array(z.object({ ...tileShape, revealed: z.boolean().meta({ description: 'Seen by a player (fog of war).' }) }).meta({ id: 'StoredTile' })),
  })
  .meta({ id: 'StoredLabyrinth' });

export const deletedCount = z.object({ deleted: z.int().min(0).meta({ description: 'Sessions deleted.' }) });

const entityFields = {
  id: z.string(),
  name: z.string(),
  type: z.enum(['player', 'enemy', 'npc']),
  age: z.string().nullable(),
  role: z.string().nullable(),
  backstoryPath: z.string().nullable(),
  portraitPath: z.string().nullable(),
};

export const entityList = z.object({ entities: z.array(z.object(entityFields).meta({ id: 'Entity' })) });

export const entityDetails = z
  .object({
    ...entityFields,
    equipment: z.array(z.object({ id: z.string(), name: z.string(), description: z.string() })),
    skills: z.array(z.object({ id: z.string(), name: z.string(), description: z.string() })),
    specials: z.array(z.object({ id: z.string(), description: z.string() })),
  })
  .meta({ id: 'EntityDetails' });

export const health = z.object({ status: z.literal('ok'), uptimeSeconds: z.int().min(0) });

const check = z.object({ ok: z.boolean(), reason: z.string().optional().meta({ description: 'Why it failed.' }) });

export const readiness = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    database: check,
    redis: check.optional().meta({ description: 'Only when REDIS_URL is set.' }),
    load: check.meta({ description: 'Not ok while the event loop is overloaded (OVERLOAD_DELAY_MS): new joins are refused.' }),
  })
  .meta({ id: 'Readiness' });

export const ban = z
  .object({
    clientId: z.string(),
    reason: z.string().nullable(),
    bannedBy: z.string().meta({ description: '`admin` (the admin password) or the id of the signed-in admin who banned.' }),
    bannedAt: z.iso.datetime(),
  })
  .meta({ id: 'Ban' });

export const banPage = z.object({ bans: z.array(ban), total: z.int().min(0), limit: z.int(), offset: z.int() });
