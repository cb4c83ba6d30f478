import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as closeCodes from '../../rooms/closeCodes.ts';
import { clientMessages, codeJoinOptions, quickPlayOptions, serverMessages, sessionJoinOptions } from '../../rooms/labyrinthProtocol.ts';
import { protocolDocument } from '../../src/http/protocolDocument.ts';
import { request } from '../support/httpClient.ts';
import { roomTestServer } from '../support/testServer.ts';

// /protocol.json publishes the room's join options and messages as JSON Schema, generated from the
// zod schemas the room validates with, so an engine developer can type them: it must be valid JSON
// Schema, name every message and close code, and accept exactly what the room accepts.

type ProtocolDocument = {
  room: string;
  joinOptions: { oneOf: { $ref: string }[] };
  clientMessages: Record<string, { $ref: string }>;
  serverMessages: Record<string, { $ref: string }>;
  requests: Record<string, unknown>;
  closeCodes: Record<string, string>;
  $defs: Record<string, unknown>;
};

describe('the room protocol document (/protocol.json)', () => {
  roomTestServer();
  const document = protocolDocument() as ProtocolDocument;
  // Strict: a keyword JSON Schema 2020-12 does not know is an error. The document's own top-level
  // fields (room, messages, close codes) are annotations, declared as such.
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  ajv.addVocabulary(['room', 'joinOptions', 'clientMessages', 'serverMessages', 'requests', 'closeCodes', 'joinErrors']);
  ajv.addSchema(document, 'protocol.json');
  const validates = (definition: string, value: unknown) => ajv.validate(`protocol.json#/$defs/${definition}`, value);
  const definitionOf = (reference: { $ref: string }) => reference.$ref.replace('#/$defs/', '');

  it('is served as generated, and every reference in it resolves', async () => {
    const response = await request('GET', '/protocol.json');
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, JSON.parse(JSON.stringify(document)));
    assert.equal(document.room, 'labyrinth');
    const references = JSON.stringify(document).match(/"#\/\$defs\/\w+"/g) ?? [];
    for (const reference of references) assert.ok(document.$defs[JSON.parse(reference).replace('#/$defs/', '')], reference);
  });

  it('names every message the room reads and sends, and every close code', () => {
    assert.deepEqual(Object.keys(document.clientMessages).sort(), [...Object.keys(clientMessages), 'new_round'].sort());
    assert.deepEqual(Object.keys(document.serverMessages).sort(), Object.keys(serverMessages).sort());
    assert.ok(document.requests.whoami);
    const codes = Object.values(closeCodes as Record<string, unknown>).filter((value): value is number => typeof value === 'number');
    assert.ok(codes.length >= 4);
    for (const code of codes) assert.ok(document.closeCodes[code], `close code ${code} is not in the document`);
    for (const code of [4000, 4001, 4002]) assert.ok(document.closeCodes[code], `Colyseus's ${code}`);
  });

  it('accepts exactly what the room accepts', () => {
    const payloads: [message: keyof typeof clientMessages, payload: unknown][] = [
      ['ready', { ready: true }],
      ['ready', { ready: 'yes' }],
      ['ready', {}],
      ['move', { dir: 'N' }],
      ['move', { dir: 'up' }],
      ['pick_character', { entityId: 'hero_mira' }],
      ['pick_character', { entityId: '' }],
      ['chat', { text: 'hello' }],
      ['chat', { text: 5 }],
    ];
    for (const [message, payload] of payloads) {
      const definition = definitionOf(document.clientMessages[message]!);
      assert.equal(validates(definition, payload), clientMessages[message].schema.safeParse(payload).success, `${message} ${JSON.stringify(payload)}`);
    }
    const sessionId = '0b9d5ab4-6d1a-4f1e-8f4e-0e6b1f2c3d4e';
    const joins: [schema: { safeParse(value: unknown): { success: boolean } }, definition: string, options: unknown][] = [
      [sessionJoinOptions, 'SessionJoinOptions', { sessionId, clientId: 'alice', name: 'Alice' }],
      [sessionJoinOptions, 'SessionJoinOptions', { sessionId }],
      [sessionJoinOptions, 'SessionJoinOptions', { sessionId, clientId: 'has spaces' }],
      [sessionJoinOptions, 'SessionJoinOptions', { sessionId, unknown: true }],
      [codeJoinOptions, 'CodeJoinOptions', { code: 'K7QX3M', clientId: 'bob' }],
      [codeJoinOptions, 'CodeJoinOptions', { code: 'k7qx3m' }],
      [codeJoinOptions, 'CodeJoinOptions', { code: 'K7QX3' }],
      [codeJoinOptions, 'CodeJoinOptions', { code: 'K7QX3I' }],
      [quickPlayOptions, 'QuickPlayOptions', { size: 8, fog: 'player' }],
      [quickPlayOptions, 'QuickPlayOptions', { size: 3 }],
    ];
    for (const [schema, definition, options] of joins) {
      assert.equal(validates(definition, options), schema.safeParse(options).success, `${definition} ${JSON.stringify(options)}`);
    }
    assert.ok(validates('ChatBroadcast', { from: 'sub:alice', name: 'Alice', text: 'hi', at: 1 }));
    const limits = { moveCooldownMs: 150, messagesPerSecond: 20, maxMessageBytes: 4096, chatMaxLength: 200, chatBurst: 5, chatRefillMs: 1000 };
    assert.ok(validates('WelcomeMessage', { sessionId, clientId: 'sub:alice', clientToken: '', spectator: false, limits }));
    assert.ok(!validates('RoomErrorMessage', { code: 'wall' }));
  });
});
