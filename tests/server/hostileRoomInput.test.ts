import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import { request } from '../support/httpClient.ts';
import { bootTestServer, leaveOpenRooms, resetTestDatabase, TEST_BASE_URL, testDatabase } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';
import { labyrinthClient, type LabyrinthRoom, sendUnchecked } from '../support/labyrinthClient.ts';
import { type RoomErrorMessage } from '../../rooms/labyrinthProtocol.ts';

// Hostile join options, room messages and raw frames, through the real SDK (and, for what the SDK
// cannot send, its own socket): each is refused with a coded error, the database is unchanged,
// the sender's connection and the other players are unaffected (or, for broken frames, only the
// sender is cut off), and the process keeps serving.

const HOSTILE_TEXT: [string, unknown][] = [
  ['a NUL character', 'a\u0000b'],
  ['a control character', 'a\u0007b'],
  ['a lone surrogate', 'a\ud800'],
  ['a 10,000-character value', 'x'.repeat(10_000)],
  ['a number', 42],
  ['an array', ['a']],
  ['an object with a __proto__ key', JSON.parse('{"__proto__": {"x": 1}}')],
];

/**
 * For room messages: msgpack carries UTF-8, so a lone surrogate arrives as U+FFFD (harmless), and
 * a value over the 4 kB frame limit closes the socket (see "raw frames"); the rest must be refused.
 */
const HOSTILE_MESSAGE_VALUES = HOSTILE_TEXT.filter(([label]) => label !== 'a lone surrogate' && !label.includes('10,000')).concat([
  ['a 3,000-character value', 'x'.repeat(3000)],
]);

describe('hostile input to rooms', () => {
  let server: ColyseusTestServer;
  const sdk = labyrinthClient(TEST_BASE_URL);
  const openRooms: LabyrinthRoom[] = [];
  let sessionId: string;

  const rowCounts = async () => {
    const tables = ['game_session', 'player', 'mobile_client', 'client_identity'];
    const [row] = await (
      await testDatabase()
    ).em
      .getConnection()
      .execute<Record<string, number>[]>(`select ${tables.map((table) => `(select count(*) from "${table}")::int as "${table}"`).join(', ')}`);
    return row!;
  };
  // Every join claims its clientId for good: each test uses fresh ones.
  let claimed = 0;
  const fresh = (prefix: string) => `${prefix}-${(claimed += 1)}`;
  const join = async (options: Record<string, unknown>) => {
    const room = await sdk.joinOrCreate('labyrinth', { sessionId, ...options });
    openRooms.push(room);
    return room;
  };
  const nextError = (room: LabyrinthRoom) => new Promise<RoomErrorMessage>((resolve) => room.onMessage('error', (error: RoomErrorMessage) => resolve(error)));

  before(async () => {
    await resetTestDatabase();
    server = await bootTestServer();
  });
  after(async () => {
    await server.shutdown();
  });
  beforeEach(async () => {
    sessionId = (await request('POST', '/api/sessions', { json: { size: 6 } })).body.id;
  });
  afterEach(async () => {
    await leaveOpenRooms(openRooms);
  });

  describe('join options', () => {
    for (const field of ['clientId', 'clientToken', 'name', 'sessionId', 'spectator']) {
      for (const [label, value] of HOSTILE_TEXT) {
        it(`${field} as ${label} refuses the join with 400 naming ${field}`, async () => {
          const before = await rowCounts();
          const refused = await join({ clientId: fresh('hostile-joiner'), [field]: value }).then(
            () => assert.fail('the join was accepted'),
            (error: { code: number; message: string }) => error,
          );
          assert.equal(refused.code, 400, refused.message);
          assert.match(refused.message, new RegExp(field), refused.message);
          assert.deepEqual(await rowCounts(), before);
        });
      }
    }

    it('options that are not an object, or carry prototype keys, are refused without a server error', async () => {
      for (const options of [['a'], 'text', 7, JSON.parse('{"constructor": {"prototype": {}}}')]) {
        const response = await fetch(`${TEST_BASE_URL}/matchmake/joinOrCreate/labyrinth`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(options),
        });
        assert.ok(response.status >= 400 && response.status < 500, `${JSON.stringify(options)}: ${response.status}`);
      }
      for (const raw of ['{"sessionId": ', '\u0000', '{"sessionId": "\\u0000"}']) {
        const response = await fetch(`${TEST_BASE_URL}/matchmake/joinOrCreate/labyrinth`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: raw,
        });
        assert.ok(response.status >= 400 && response.status < 500, `${JSON.stringify(raw)}: ${response.status}`);
      }
      assert.equal((await request('GET', '/health')).status, 200);
    });
  });

  describe('messages', () => {
    const messages: [string, string][] = [
      ['chat', 'text'],
      ['pick_character', 'entityId'],
      ['move', 'dir'],
      ['ready', 'ready'],
    ];
    for (const [type, field] of messages) {
      for (const [label, value] of HOSTILE_MESSAGE_VALUES) {
        it(`${type} with ${field} as ${label} gets an invalid_message error and changes nothing`, async () => {
          const room = await join({ clientId: fresh('hostile-sender') });
          await waitFor(() => room.state.players?.size === 1, 'the sender seated');
          const before = JSON.stringify(room.state.toJSON());
          const error = nextError(room);
          sendUnchecked(room, type, { [field]: value });
          assert.equal((await error).code, 'invalid_message');
          assert.equal(JSON.stringify(room.state.toJSON()), before);
          assert.ok(room.connection.isOpen, 'the sender is still connected');
        });
      }
    }

    it('a payload that is an array or a string gets invalid_message', async () => {
      const room = await join({ clientId: fresh('hostile-shapes') });
      for (const payload of [[{ text: 'hi' }], 'hi', 7]) {
        const error = nextError(room);
        room.send('chat', payload as never);
        assert.equal((await error).code, 'invalid_message', JSON.stringify(payload));
      }
    });

    it('a __proto__ key in a payload pollutes nothing (msgpackr renames it on decoding)', async () => {
      const room = await join({ clientId: fresh('hostile-proto') });
      const line = new Promise<{ text: string }>((resolve) => room.onMessage('chat', resolve));
      room.send('chat', JSON.parse('{"text": "hi", "__proto__": {"text": "x", "polluted": true}}'));
      assert.equal((await line).text, 'hi');
      assert.equal(({} as { polluted?: boolean }).polluted, undefined, 'Object.prototype was polluted');
    });
  });

  describe('raw frames', () => {
    // [ROOM_DATA=13, then the message type as a msgpack string, then its payload] is what the SDK
    // sends; these break it in each place.
    const frames: [string, Uint8Array][] = [
      ['an empty frame', new Uint8Array([])],
      ['a lone ROOM_DATA byte', new Uint8Array([13])],
      ['a message type longer than the frame', new Uint8Array([13, 0xd9, 0xff, 0x61])],
      ['broken msgpack after a valid type', new Uint8Array([13, 0xa4, 0x63, 0x68, 0x61, 0x74, 0xc1, 0xc1, 0xdd, 0xff])],
      ['a msgpack map that claims more entries than it has', new Uint8Array([13, 0xa4, 0x63, 0x68, 0x61, 0x74, 0xdf, 0xff, 0xff, 0xff, 0xff])],
      ['an unknown protocol code', new Uint8Array([250, 1, 2, 3])],
      ['random bytes', Uint8Array.from({ length: 64 }, (_, i) => (i * 73 + 11) % 256)],
      ['a 64 kB frame (over the 4 kB limit)', new Uint8Array(64 * 1024).fill(13)],
    ];
    for (const [label, frame] of frames) {
      it(`${label} affects only its sender, and the server keeps serving`, async () => {
        const watcher = await join({ clientId: fresh('raw-watcher') });
        const sender = await join({ clientId: fresh('raw-sender') });
        sender.connection.send(frame);
        // The sender is cut off or ignored; either way the room keeps working for others.
        await new Promise((resolve) => setTimeout(resolve, 200));
        const error = nextError(watcher);
        watcher.send('move', { dir: 'Q' } as never);
        assert.equal((await error).code, 'invalid_message');
        watcher.send('ready', { ready: true });
        await waitFor(() => [...watcher.state.players.values()].some((player) => player.ready), 'the watcher ready');
        assert.equal((await request('GET', '/health')).status, 200);
      });
    }
  });
});
