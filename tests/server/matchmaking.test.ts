import assert from 'node:assert/strict';
import { JOIN_CODE_PATTERN } from '../../src/game/sessionAccess.ts';
import { closeAllDatabases } from '../../src/database/openDatabase.ts';
import { request } from '../support/httpClient.ts';
import { countRows, roomTestServer } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';
import { type LabyrinthRoom } from '../support/labyrinthClient.ts';
import type { LabyrinthRoomMetadata } from '../../rooms/roomListing.ts';

const METRICS_TOKEN = 'metrics-token-for-tests';

type SessionJson = { id: string; maxPlayers: number; visibility: string; code: string | null; size: number; fog: string };

/** Quick play, seat caps and private sessions, through the real SDK against the real server. */
describe('matchmaking', () => {
  const { sdk, openRooms } = roomTestServer({ METRICS_TOKEN, COUNTDOWN_SECONDS: '30', QUICK_PLAY_SIZE: '6', QUICK_PLAY_MAX_PLAYERS: '8' });
  after(async () => {
    await closeAllDatabases();
  });

  async function join(options: Record<string, unknown>): Promise<LabyrinthRoom> {
    const room = await sdk.joinOrCreate('labyrinth', options);
    openRooms.push(room);
    room.onMessage('error', () => undefined);
    return room;
  }
  async function refusal(options: Record<string, unknown>): Promise<{ code: number; message: string }> {
    return join(options).then(
      () => assert.fail('the join should have been refused'),
      (caught: { code: number; message: string }) => caught,
    );
  }
  async function createSession(body: Record<string, unknown> = {}): Promise<SessionJson> {
    const response = await request('POST', '/api/sessions', { json: { size: 6, ...body } });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body as SessionJson;
  }
  const listed = async (admin = false): Promise<SessionJson[]> => (await request('GET', '/api/sessions', { admin })).body.sessions as SessionJson[];
  const players = (room: LabyrinthRoom) => room.state.players?.size ?? 0;

  describe('seat caps', () => {
    it('stores maxPlayers (8 unless given) and answers it', async () => {
      assert.equal((await createSession()).maxPlayers, 8);
      assert.equal((await createSession({ maxPlayers: 2 })).maxPlayers, 2);
    });

    it('refuses a maxPlayers outside 2..16 with 422 naming the field, creating nothing', async () => {
      for (const maxPlayers of [99, 1, 'eight']) {
        const response = await request('POST', '/api/sessions', { json: { size: 6, maxPlayers } });
        assert.equal(response.status, 422);
        assert.match(JSON.stringify(response.body), /maxPlayers/);
      }
      assert.equal(await countRows('labyrinth'), 0);
    });

    it('refuses a player past the cap with 409 saying the session is full; a spectator still watches', async () => {
      const session = await createSession({ maxPlayers: 2 });
      await join({ sessionId: session.id, clientId: 'cap-a' });
      await join({ sessionId: session.id, clientId: 'cap-b' });
      const refused = await refusal({ sessionId: session.id, clientId: 'cap-c' });
      assert.equal(refused.code, 409);
      assert.match(refused.message, /is full \(2 players\)/);
      const watcher = await join({ sessionId: session.id, clientId: 'cap-watcher', spectator: true });
      await waitFor(() => players(watcher) === 2, 'the spectator to see both players');
      const metrics = await request('GET', '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      assert.match(String(metrics.body), /^labyrinth_joins_refused_total\{reason="session_full"\} [1-9]/m);
    });

    it('refuses a player past the cap over the old HTTP API too', async () => {
      const session = await createSession({ maxPlayers: 2 });
      for (const clientId of ['old-a', 'old-b']) {
        const joined = await request('POST', `/api/game_sessions/${session.id}/join`, { json: { client_id: clientId } });
        assert.equal(joined.status, 200, JSON.stringify(joined.body));
      }
      const refused = await request('POST', `/api/game_sessions/${session.id}/join`, { json: { client_id: 'old-c' } });
      assert.equal(refused.status, 409);
      assert.match(JSON.stringify(refused.body), /is full/);
    });

    it('holds the cap when ten players join one session at once', async () => {
      const session = await createSession({ maxPlayers: 4 });
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, index) => join({ sessionId: session.id, clientId: `rush-${index}` })));
      const seated = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      assert.equal(seated.length, 4);
      for (const outcome of outcomes) if (outcome.status === 'rejected') assert.equal((outcome.reason as { code: number }).code, 409);
      await waitFor(() => players(seated[0]!.value) === 4, 'four players seated');
    });
  });

  describe('private sessions', () => {
    it('gets a join code, is listed to admins only, and is joined by its code', async () => {
      const session = await createSession({ visibility: 'private' });
      assert.equal(session.visibility, 'private');
      assert.match(session.code ?? '', JOIN_CODE_PATTERN);
      const publicOne = await createSession();
      assert.equal(publicOne.code, null);
      assert.deepEqual(
        (await listed()).map((listedSession) => listedSession.id),
        [publicOne.id],
      );
      assert.equal((await listed(true)).length, 2);
      const room = await join({ code: session.code, clientId: 'by-code' });
      assert.equal(room.roomId, session.id);
      const second = await join({ code: session.code, clientId: 'by-code-2' });
      assert.equal(second.roomId, session.id);
      await waitFor(() => players(room) === 2, 'both seated');
    });

    it('answers an unknown code with 404, and a code of the wrong shape with 400 naming code', async () => {
      const unknown = await refusal({ code: 'ZZZZZZ', clientId: 'lost' });
      assert.equal(unknown.code, 404);
      assert.match(unknown.message, /ZZZZZZ/);
      for (const code of ['abc', 'O0O0O0', 12]) {
        const malformed = await refusal({ code, clientId: 'lost' });
        assert.equal(malformed.code, 400);
        assert.match(malformed.message, /code .*quick-play/);
      }
      assert.equal(await countRows('labyrinth'), 0);
      const metrics = await request('GET', '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      assert.match(String(metrics.body), /^labyrinth_joins_refused_total\{reason="code_not_found"\} [1-9]/m);
    });

    it('is never offered to quick play', async () => {
      const session = await createSession({ visibility: 'private' });
      await join({ code: session.code, clientId: 'private-host' });
      const quick = await join({ clientId: 'quick-one' });
      assert.notEqual(quick.roomId, session.id);
    });
  });

  describe('quick play', () => {
    it('creates a listed public session on the default maze when none is open, and seats the next player there', async () => {
      const first = await join({ clientId: 'quick-a', name: 'Ada' });
      const [session] = await listed();
      assert.equal(session?.id, first.roomId);
      assert.equal(session?.size, 6);
      assert.equal(session?.fog, 'team');
      assert.equal(session?.maxPlayers, 8);
      const second = await join({ clientId: 'quick-b' });
      assert.equal(second.roomId, first.roomId);
      await waitFor(() => players(first) === 2, 'both seated');
    });

    it('matches size and fog, and offers the fullest open session first', async () => {
      const small = await createSession({ size: 5 });
      const emptier = await createSession({ size: 5 });
      await join({ sessionId: small.id, clientId: 'host-1' });
      await join({ sessionId: small.id, clientId: 'host-2' });
      await join({ sessionId: emptier.id, clientId: 'host-3' });
      assert.equal((await join({ clientId: 'picky', size: 5 })).roomId, small.id);
      const otherFog = await join({ clientId: 'foggy', size: 5, fog: 'player' });
      assert.ok(![small.id, emptier.id].includes(otherFog.roomId));
    });

    it('does not offer a full session, nor one whose round is under way', async () => {
      const full = await createSession({ maxPlayers: 2 });
      await join({ sessionId: full.id, clientId: 'full-1' });
      await join({ sessionId: full.id, clientId: 'full-2' });
      const playing = await createSession();
      const runner = await join({ sessionId: playing.id, clientId: 'runner' });
      runner.send('ready', { ready: true });
      await waitFor(() => runner.state.phase === 'countdown', 'the countdown');
      const quick = await join({ clientId: 'newcomer' });
      assert.ok(![full.id, playing.id].includes(quick.roomId));
    });

    it('ends twenty concurrent quick plays in three sessions of eight (at most one more), none over its cap', async () => {
      const rooms = await Promise.all(Array.from({ length: 20 }, (_, index) => join({ clientId: `crowd-${index}` })));
      const bySession = new Map<string, number>();
      for (const room of rooms) bySession.set(room.roomId, (bySession.get(room.roomId) ?? 0) + 1);
      assert.ok(bySession.size >= 3 && bySession.size <= 4, `${bySession.size} sessions`);
      for (const [sessionId, count] of bySession) assert.ok(count <= 8, `${count} players in ${sessionId}`);
      assert.equal((await listed()).length, bySession.size);
    });

    it('refuses unknown options and a size out of range with 400 naming the option, creating nothing', async () => {
      const unknown = await refusal({ clientId: 'odd', colour: 'red' });
      assert.equal(unknown.code, 400);
      assert.match(unknown.message, /colour/);
      const size = await refusal({ clientId: 'odd', size: 99 });
      assert.equal(size.code, 400);
      assert.match(size.message, /size/);
      assert.equal(await countRows('labyrinth'), 0);
    });
  });

  describe('refusals', () => {
    it('refuses a malformed sessionId with 400 naming it and saying how to quick-play, without touching another room', async () => {
      const session = await createSession();
      const bystander = await join({ sessionId: session.id, clientId: 'bystander' });
      let closed = false;
      bystander.onLeave(() => (closed = true));
      for (const sessionId of ['not-a-uuid', 42, '']) {
        const refused = await refusal({ sessionId, clientId: 'wrong' });
        assert.equal(refused.code, 400);
        assert.match(refused.message, /sessionId .*quick-play/);
      }
      const missingClient = await refusal({});
      assert.equal(missingClient.code, 400);
      assert.match(missingClient.message, /clientId/);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(closed, false);
      assert.equal(players(bystander), 1);
      assert.equal((await listed()).length, 1);
      const metrics = await request('GET', '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      assert.match(String(metrics.body), /^labyrinth_joins_refused_total\{reason="invalid_options"\} [1-9]/m);
    });
  });

  describe('the live lobby', () => {
    type Listing = { roomId: string; metadata: LabyrinthRoomMetadata };

    it('lists public rooms with what a list shows, updates them live, and never lists a private one', async () => {
      const lobby = await sdk.joinOrCreate('lobby');
      openRooms.push(lobby);
      const rooms = new Map<string, Listing>();
      lobby.onMessage('rooms', (all: Listing[]) => all.forEach((room) => rooms.set(room.roomId, room)));
      lobby.onMessage('+', ([roomId, room]: [string, Listing]) => rooms.set(roomId, room));
      lobby.onMessage('-', (roomId: string) => rooms.delete(roomId));
      const hidden = await createSession({ visibility: 'private' });
      await join({ code: hidden.code, clientId: 'hidden-host' });
      const first = await join({ clientId: 'lobby-a' });
      await waitFor(() => rooms.get(first.roomId)?.metadata.players === 1, 'the new room in the lobby');
      assert.deepEqual(
        { ...rooms.get(first.roomId)!.metadata },
        { ...rooms.get(first.roomId)!.metadata, sessionId: first.roomId, size: 6, fog: 'team', phase: 'lobby', players: 1, maxPlayers: 8 },
      );
      await join({ clientId: 'lobby-b' });
      await waitFor(() => rooms.get(first.roomId)?.metadata.players === 2, 'the second player in the lobby listing');
      assert.equal(rooms.has(hidden.id), false);
      await first.leave(true);
      await waitFor(() => rooms.get(first.roomId)?.metadata.players === 1, 'a leave in the lobby listing');
      assert.equal(rooms.has(hidden.id), false);
    });
  });
});
