import { CloseCode } from '@colyseus/core';
import { z } from 'zod';
import { BANNED_CLOSE_CODE, KICKED_CLOSE_CODE, SEAT_TAKEN_OVER_CLOSE_CODE, SESSION_DELETED_CLOSE_CODE } from '../../rooms/closeCodes.ts';
import { clientMessages, codeJoinOptions, quickPlayOptions, serverMessages, sessionJoinOptions, welcomeMessage } from '../../rooms/labyrinthProtocol.ts';
import { LABYRINTH_ROOM } from '../../rooms/LabyrinthRoom.ts';

// The room protocol for engine developers, as /openapi.json is the HTTP one: every join option and
// message payload as JSON Schema (2020-12), generated from the zod schemas the room validates them
// with (rooms/labyrinthProtocol.ts), so a generator such as quicktype can type them in C#, GDScript,
// C++… beside the state classes `npm run codegen` writes. Served at /protocol.json (apiDocs.ts).

/** `ready` → `ReadyMessage`. */
const typeName = (type: string, suffix: string) => `${type.replace(/(^|_)(\w)/g, (_, _separator: string, letter: string) => letter.toUpperCase())}${suffix}`;

/** A schema as JSON Schema: what a client sends (`input`, defaults optional) or receives (`output`). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...definition } = z.toJSONSchema(schema, { io, target: 'draft-2020-12' });
  return definition;
}

const ref = (name: string) => ({ $ref: `#/$defs/${name}` });

/** client → server messages: the validated ones, and `new_round`, which carries nothing. */
const sentByClients: Record<string, z.ZodType> = {
  ...Object.fromEntries(Object.entries(clientMessages).map(([type, { schema }]) => [type, schema])),
  new_round: z.object({}).meta({ description: 'After a finished round: everyone back to the lobby on a new maze.' }),
};
const serverMessageNames: Record<keyof typeof serverMessages, string> = { chat: 'ChatBroadcast', error: 'RoomErrorMessage' };

const CLOSE_CODES: Record<number, string> = {
  [CloseCode.CONSENTED]: 'A leave: the seat is freed.',
  [CloseCode.SERVER_SHUTDOWN]:
    'The server is shutting down, or the room no longer owns its session (another server process took it over): the seat is kept; join again with the same options, and land in the room that runs the session.',
  [CloseCode.WITH_ERROR]: 'An error: more than 20 messages a second, an unreadable message, or a join refused after its socket opened.',
  [BANNED_CLOSE_CODE]: 'Banned by an admin: the seat is freed and every join of this identity is refused until the ban is lifted.',
  [SESSION_DELETED_CLOSE_CODE]: 'An admin deleted the session.',
  [SEAT_TAKEN_OVER_CLOSE_CODE]: 'The same player joined from another client, which has the seat now.',
  [KICKED_CLOSE_CODE]: 'Removed from the session by an admin: the seat is freed; joining again is allowed.',
};

const JOIN_ERRORS: Record<number, string> = {
  400: "Bad join options (the message names the option), or a clientId that is not this token's player.",
  401: 'A bad token (the message says what is wrong: expired, not yet valid, signature, issuer, audience, algorithm, no subject), or a guest where only signed-in players may play.',
  403: 'A wrong or missing clientToken, or a banned identity.',
  404: 'Unknown session or join code.',
  409: 'The session is full, or the player is seated in another session.',
  503: "The server is overloaded, Redis is unreachable, the session's room is moving between server processes, or the identity provider's keys cannot be fetched: try again shortly.",
};

/** The document, generated once per process. */
let generated: Record<string, unknown> | undefined;
export function protocolDocument(): Record<string, unknown> {
  generated ??= {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Labyrinth room protocol',
    description:
      'The `labyrinth` room: its join options, the messages both ways and the `whoami` request, each a JSON Schema in `$defs`; its close codes and join errors. The synced state is Colyseus schema: `npm run codegen` writes its classes for each engine (docs/engines.md).',
    room: LABYRINTH_ROOM,
    joinOptions: { oneOf: [ref('SessionJoinOptions'), ref('CodeJoinOptions'), ref('QuickPlayOptions')] },
    clientMessages: Object.fromEntries(Object.keys(sentByClients).map((type) => [type, ref(typeName(type, 'Message'))])),
    serverMessages: Object.fromEntries(Object.entries(serverMessageNames).map(([type, name]) => [type, ref(name)])),
    requests: { whoami: { reply: { oneOf: [ref('WelcomeMessage'), ref('RoomErrorMessage')] } } },
    closeCodes: CLOSE_CODES,
    joinErrors: JOIN_ERRORS,
    $defs: {
      SessionJoinOptions: jsonSchema(sessionJoinOptions, 'input'),
      CodeJoinOptions: jsonSchema(codeJoinOptions, 'input'),
      QuickPlayOptions: jsonSchema(quickPlayOptions, 'input'),
      ...Object.fromEntries(Object.entries(sentByClients).map(([type, schema]) => [typeName(type, 'Message'), jsonSchema(schema, 'input')])),
      ...Object.fromEntries(
        Object.entries(serverMessageNames).map(([type, name]) => [name, jsonSchema(serverMessages[type as keyof typeof serverMessages], 'output')]),
      ),
      WelcomeMessage: jsonSchema(welcomeMessage, 'output'),
    },
  };
  return generated;
}
