import assert from 'node:assert/strict';
import { cellKey, cellsSeenFrom } from '../../src/game/fogOfWar.ts';
import { tryMove, type Cell } from '../../src/game/moveRules.ts';
import type { RoundEvent } from '../../src/game/roundEvents.ts';
import type { RoundSnapshot, StoredSeat } from '../../src/game/roundFacts.ts';
import { SessionRound } from '../../src/game/SessionRound.ts';
import { DIRECTIONS, type Direction } from '../../src/maze/directions.ts';
import { generateMaze } from '../../src/maze/generateMaze.ts';
import { pathBetween } from '../support/pathBetween.ts';

// The round model alone: no server, no database, no timers. Time is whatever the test says.

const SEED = 'round-model';
const SIZE = 6;
const maze = generateMaze(SIZE, SEED);
const start: Cell = { x: maze.startX, y: maze.startY };
const COUNTDOWN_MS = 3000;
const COOLDOWN_MS = 150;
const HERO = { id: 'hero_mira', name: 'Mira', role: 'scout' };
const SAGE = { id: 'hero_oren', name: 'Oren', role: 'sage' };

function snapshot(overrides: Partial<RoundSnapshot> = {}): RoundSnapshot {
  return {
    id: 'session-1',
    labyrinthId: 'labyrinth-1',
    seed: SEED,
    size: SIZE,
    phase: 'lobby',
    round: 1,
    startedAt: null,
    finishedAt: null,
    winner: null,
    players: [],
    revealed: [],
    fog: 'team',
    spectatorView: 'everything',
    moves: [],
    ...overrides,
  };
}

function newRound(overrides: Partial<RoundSnapshot> = {}): SessionRound {
  return new SessionRound(snapshot(overrides), { countdownMs: COUNTDOWN_MS, moveCooldownMs: COOLDOWN_MS, characters: [HERO, SAGE] });
}

function stored(clientId: string, extra: Partial<StoredSeat> = {}): StoredSeat {
  return { clientId, name: clientId.toUpperCase(), ready: false, x: start.x, y: start.y, character: null, ...extra };
}

const types = (events: RoundEvent[]) => events.map((event) => event.type);

/** Asserts that `command` is refused with `code` and changes nothing observable. */
function assertRefused(round: SessionRound, command: () => unknown, code: string): void {
  const before = JSON.stringify(facts(round));
  assert.throws(command, (error: { code?: string }) => error.code === code, `expected ${code}`);
  assert.equal(JSON.stringify(facts(round)), before, `a refused ${code} changed something`);
}

function facts(round: SessionRound) {
  const { phase, round: number, countdownEndsAt, startedAt, finishedAt, winner, labyrinthId } = round;
  return {
    phase,
    number,
    countdownEndsAt,
    startedAt,
    finishedAt,
    winner,
    labyrinthId,
    seats: [...round.members.seats.values()],
    revealed: [...round.knowledge.revealed],
    chat: [...round.chat.lines],
  };
}

/** A round with the given players joined on connections `c-<clientId>`, at time 0. */
function lobbyWith(...clientIds: string[]): SessionRound {
  const round = newRound();
  for (const clientId of clientIds) round.playerJoined(`c-${clientId}`, stored(clientId), 0);
  return round;
}

/** Everyone ready and the countdown run out at `at`: playing. */
function playing(round: SessionRound, at = 10_000): SessionRound {
  for (const clientId of round.members.seats.keys()) round.setReady(clientId, true, at - COUNTDOWN_MS);
  assert.deepEqual(types(round.startPlaying(at)), ['round_started']);
  return round;
}

const openSide = (cell: Cell) => maze.tiles[cell.y * SIZE + cell.x]!.openDirections[0]!;
const closedSide = (cell: Cell) =>
  DIRECTIONS.find((direction) => {
    const move = tryMove(maze, cell, direction);
    return !move.ok && move.reason === 'wall';
  });

describe('the round model (SessionRound)', () => {
  describe('seats and readiness', () => {
    it('seats players in order, each not ready, and counts allReady only with at least one player', () => {
      const round = newRound();
      assert.equal(round.allReady, false, 'nobody seated is not "all ready"');
      assert.deepEqual(types(round.playerJoined('c1', stored('alice'), 0)), ['player_joined']);
      round.playerJoined('c2', stored('bob'), 0);
      assert.deepEqual(round.readiness(), {
        players: [
          { clientId: 'alice', ready: false },
          { clientId: 'bob', ready: false },
        ],
        allReady: false,
      });
      assert.deepEqual(round.members.seats.get('alice'), { ...stored('alice'), connected: true });
    });

    it('sets rather than flips readiness, and an unchanged value is no event', () => {
      const round = lobbyWith('alice', 'bob');
      assert.deepEqual(round.setReady('alice', true, 1), [{ type: 'ready_changed', clientId: 'alice', ready: true }]);
      assert.deepEqual(round.setReady('alice', true, 2), []);
      assert.equal(round.members.seats.get('alice')!.ready, true);
    });

    it('refuses readiness for a client without a seat (not_seated)', () => {
      const round = lobbyWith('alice');
      assertRefused(round, () => round.setReady('stranger', true, 0), 'not_seated');
    });

    it('never counts spectators: one ready player with watchers starts the countdown', () => {
      const round = lobbyWith('alice');
      round.spectatorJoined('s1', { clientId: 'eve', name: 'Eve' });
      round.spectatorJoined('s2', { clientId: 'mallory', name: 'Mallory' });
      assert.deepEqual(types(round.setReady('alice', true, 5)), ['ready_changed', 'countdown_started']);
      assert.deepEqual(round.readiness().players, [{ clientId: 'alice', ready: true }]);
    });

    it('makes watchers of those who ask, and of newcomers while a round is under way, but not of seated players', () => {
      const round = lobbyWith('alice');
      assert.equal(round.watchesOnly('bob', false), false);
      assert.equal(round.watchesOnly('bob', true), true);
      playing(round);
      assert.equal(round.watchesOnly('bob', false), true, 'a newcomer during play watches');
      assert.equal(round.watchesOnly('alice', false), false, 'a seated player comes back to its seat');
      assertRefused(round, () => round.assertMayJoinOverHttp('bob'), 'game_in_progress');
      round.assertMayJoinOverHttp('alice');
    });

    it('seats HTTP clients as not connected, once', () => {
      const round = lobbyWith('alice');
      assert.deepEqual(round.seatedOverHttp(stored('http-sam'), 0), [{ type: 'player_joined', clientId: 'http-sam', name: 'HTTP-SAM', connectionId: null }]);
      assert.equal(round.members.seats.get('http-sam')!.connected, false);
      assert.deepEqual(round.seatedOverHttp(stored('http-sam'), 0), []);
    });

    it('names a player by the name given, else its seat, else its clientId', () => {
      const round = lobbyWith('alice');
      assert.equal(round.nameFor('alice', 'Al'), 'Al');
      assert.equal(round.nameFor('alice', undefined), 'ALICE');
      assert.equal(round.nameFor('zed', undefined), 'zed');
    });
  });

  describe('connections', () => {
    it('hands a seat to a newer connection (a reload) and asks to close the older one', () => {
      const round = lobbyWith('alice');
      round.setReady('alice', true, 1);
      const events = round.playerJoined('c-new', stored('alice', { name: 'Alice2' }), 2);
      assert.deepEqual(events.slice(0, 2), [
        { type: 'seat_taken_over', clientId: 'alice', connectionId: 'c-alice' },
        { type: 'player_joined', clientId: 'alice', name: 'Alice2', connectionId: 'c-new' },
      ]);
      assert.equal(round.members.seats.get('alice')!.ready, true, 'the live seat keeps its readiness');
      assert.equal(round.members.seats.get('alice')!.name, 'Alice2');
      assertRefused(round, () => round.members.playerOf('c-alice', 'move'), 'not_seated');
      assert.equal(round.members.playerOf('c-new', 'move'), 'alice');
      assert.deepEqual(round.disconnected('c-alice', 3), [], 'the old connection leaving frees nothing');
      assert.ok(round.members.seats.has('alice'));
    });

    it('keeps a dropped seat (not connected) until the connection is gone, then frees it', () => {
      const round = lobbyWith('alice', 'bob');
      round.setReady('alice', true, 1);
      assert.deepEqual(round.dropped('c-alice'), [{ type: 'player_dropped', clientId: 'alice' }]);
      assert.deepEqual(round.members.seats.get('alice'), { ...stored('alice'), ready: true, connected: false });
      assert.deepEqual(round.reconnected('c-alice'), [{ type: 'player_reconnected', clientId: 'alice' }]);
      assert.equal(round.members.seats.get('alice')!.connected, true);
      round.dropped('c-alice');
      assert.deepEqual(round.disconnected('c-alice', 2), [{ type: 'player_left', clientId: 'alice', closeConnectionId: null }]);
      assert.deepEqual([...round.members.seats.keys()], ['bob']);
    });

    it('frees a seat over HTTP and asks to close the socket that held it', () => {
      const round = lobbyWith('alice');
      assert.deepEqual(round.leftOverHttp('alice', 1), [{ type: 'player_left', clientId: 'alice', closeConnectionId: 'c-alice' }]);
      assert.deepEqual(round.leftOverHttp('alice', 1), []);
      assert.deepEqual(round.disconnected('c-alice', 2), []);
    });

    it('unseats nobody once closed (session deleted, server shutdown), but lets spectators go', () => {
      const round = lobbyWith('alice');
      round.spectatorJoined('s1', { clientId: 'eve', name: 'Eve' });
      round.close();
      assert.deepEqual(round.dropped('c-alice'), []);
      assert.deepEqual(round.disconnected('c-alice', 1), []);
      assert.ok(round.members.seats.has('alice'), 'the seat stays for the next room');
      assert.deepEqual(round.disconnected('s1', 1), [{ type: 'spectator_left', connectionId: 's1', clientId: 'eve' }]);
      assert.equal(round.members.identityOf('c-alice'), undefined);
    });

    it('tells who a connection is (whoami), and refuses spectators and strangers as players', () => {
      const round = lobbyWith('alice');
      round.spectatorJoined('s1', { clientId: 'eve', name: 'Eve' });
      assert.deepEqual(round.members.identityOf('c-alice'), { clientId: 'alice', spectator: false });
      assert.deepEqual(round.members.identityOf('s1'), { clientId: 'eve', spectator: true });
      assert.equal(round.members.identityOf('nobody'), undefined);
      assertRefused(round, () => round.members.playerOf('s1', 'move'), 'spectator');
      assertRefused(round, () => round.members.playerOf('nobody', 'move'), 'not_seated');
    });

    it('forgets the rate limits of clients that left, so a long-lived room does not grow with them', () => {
      const round = newRound();
      round.spectatorJoined('s1', { clientId: 'eve', name: 'Eve' });
      for (let index = 0; index < 5; index++) round.say('s1', `line ${index}`, 0);
      assertRefused(round, () => round.say('s1', 'one more', 0), 'chat_rate_limited');
      round.disconnected('s1', 0);
      round.spectatorJoined('s2', { clientId: 'eve', name: 'Eve' });
      assert.deepEqual(types(round.say('s2', 'back again', 0)), ['chat_said'], 'a new visit starts with a fresh allowance');
      // A client still present on another connection keeps its limit.
      for (let index = 0; index < 4; index++) round.say('s2', `more ${index}`, 0);
      round.spectatorJoined('s3', { clientId: 'eve', name: 'Eve' });
      round.disconnected('s2', 0);
      assertRefused(round, () => round.say('s3', 'still limited', 0), 'chat_rate_limited');
    });
  });

  describe('the countdown', () => {
    it('starts when every player is ready, at now + the countdown', () => {
      const round = lobbyWith('alice', 'bob');
      assert.deepEqual(round.setReady('alice', true, 100), [{ type: 'ready_changed', clientId: 'alice', ready: true }]);
      assert.deepEqual(round.setReady('bob', true, 200), [
        { type: 'ready_changed', clientId: 'bob', ready: true },
        { type: 'countdown_started', endsAt: 200 + COUNTDOWN_MS },
      ]);
      assert.equal(round.phase, 'countdown');
      assert.equal(round.countdownEndsAt, 200 + COUNTDOWN_MS);
    });

    it('is cancelled when someone un-readies', () => {
      const round = lobbyWith('alice', 'bob');
      round.setReady('alice', true, 0);
      round.setReady('bob', true, 0);
      assert.deepEqual(types(round.setReady('bob', false, 10)), ['ready_changed', 'countdown_cancelled']);
      assert.deepEqual([round.phase, round.countdownEndsAt], ['lobby', 0]);
    });

    it('is cancelled by a newcomer (not ready), over a socket or HTTP', () => {
      for (const join of [
        (round: SessionRound) => round.playerJoined('c-carol', stored('carol'), 10),
        (round: SessionRound) => round.seatedOverHttp(stored('carol'), 10),
      ]) {
        const round = lobbyWith('alice');
        round.setReady('alice', true, 0);
        assert.deepEqual(types(join(round)), ['player_joined', 'countdown_cancelled']);
        assert.equal(round.phase, 'lobby');
      }
    });

    it('is cancelled when the last player leaves, and survives a leave that leaves everyone ready', () => {
      const round = lobbyWith('alice', 'bob', 'carol');
      round.setReady('alice', true, 0);
      round.setReady('bob', true, 0);
      assert.deepEqual(types(round.disconnected('c-carol', 1)), ['player_left', 'countdown_started']);
      assert.deepEqual(types(round.disconnected('c-bob', 2)), ['player_left']);
      assert.equal(round.phase, 'countdown');
      assert.deepEqual(types(round.disconnected('c-alice', 3)), ['player_left', 'countdown_cancelled']);
    });

    it('is not disturbed by a player taking its own seat back (ready, on a reload)', () => {
      const round = lobbyWith('alice');
      round.setReady('alice', true, 0);
      assert.deepEqual(types(round.playerJoined('c-reload', stored('alice'), 1)), ['seat_taken_over', 'player_joined']);
      assert.equal(round.phase, 'countdown');
    });

    it('restarts after a reload of the room when everyone was ready (a countdown is not stored)', () => {
      const round = newRound({ players: [stored('alice', { ready: true })] });
      assert.equal(round.phase, 'lobby');
      assert.deepEqual(round.resume(50), [{ type: 'countdown_started', endsAt: 50 + COUNTDOWN_MS }]);
      assert.deepEqual(newRound({ players: [stored('alice')] }).resume(50), []);
    });

    it('ends in play: everyone on the start cell, the start and what it shows revealed', () => {
      const round = lobbyWith('alice', 'bob');
      assert.deepEqual(round.startPlaying(1), [], 'no countdown, no start');
      round.setReady('alice', true, 0);
      round.setReady('bob', true, 0);
      const events = round.startPlaying(COUNTDOWN_MS);
      assert.deepEqual(events, [
        { type: 'round_started', startedAt: COUNTDOWN_MS, seed: SEED, size: SIZE, start, players: ['alice', 'bob'], revealed: cellsSeenFrom(maze, start) },
      ]);
      assert.deepEqual([round.phase, round.startedAt, round.countdownEndsAt], ['playing', COUNTDOWN_MS, 0]);
      assert.deepEqual(new Set(round.knowledge.revealed), new Set(cellsSeenFrom(maze, start).map(cellKey)));
      assert.deepEqual(round.startPlaying(COUNTDOWN_MS + 1), [], 'a late timer changes nothing');
    });

    it('refuses readiness once playing or finished (wrong_phase)', () => {
      const round = playing(lobbyWith('alice'));
      assertRefused(round, () => round.setReady('alice', false, 20_000), 'wrong_phase');
    });
  });

  describe('characters', () => {
    it('lets each player pick one playable character, unique in the session', () => {
      const round = lobbyWith('alice', 'bob');
      assert.deepEqual(round.pickCharacter('alice', HERO.id), [{ type: 'character_picked', clientId: 'alice', character: HERO }]);
      assert.deepEqual(round.pickCharacter('alice', HERO.id), [], 'picking it again changes nothing');
      assertRefused(round, () => round.pickCharacter('bob', HERO.id), 'character_taken');
      assertRefused(round, () => round.pickCharacter('bob', 'foe_goblin'), 'unknown_character');
      assert.deepEqual(types(round.pickCharacter('alice', SAGE.id)), ['character_picked'], 'a player may change its mind');
      assert.deepEqual(types(round.pickCharacter('bob', HERO.id)), ['character_picked'], 'the released character is free');
    });

    it('refuses picking outside the lobby (wrong_phase)', () => {
      const round = lobbyWith('alice');
      round.setReady('alice', true, 0);
      assertRefused(round, () => round.pickCharacter('alice', HERO.id), 'wrong_phase');
    });
  });

  describe('moves, fog of war and the winner', () => {
    it('refuses moves outside play (wrong_phase), through walls (wall) and off the grid (off_grid)', () => {
      const lobby = lobbyWith('alice');
      assertRefused(lobby, () => lobby.move('alice', 'N', 0), 'wrong_phase');
      const round = playing(lobbyWith('alice'));
      const wall = closedSide(start);
      assert.ok(wall, 'this maze has a wall on the start cell');
      assertRefused(round, () => round.move('alice', wall, 20_000), 'wall');
      const corner = newRound({ phase: 'playing', players: [stored('alice', { x: 0, y: 0 })] });
      assertRefused(corner, () => corner.move('alice', 'N', 0), 'off_grid');
      assertRefused(corner, () => corner.move('alice', 'W', 0), 'off_grid');
    });

    it('allows one move per cooldown, and a refused move costs none', () => {
      const round = playing(lobbyWith('alice'));
      const open = openSide(start);
      const back = { N: 'S', S: 'N', E: 'W', W: 'E' }[open] as Direction;
      assert.deepEqual(types(round.move('alice', open, 20_000)), ['player_moved']);
      assertRefused(round, () => round.move('alice', back, 20_000 + COOLDOWN_MS - 1), 'too_fast');
      const here = { x: round.members.seats.get('alice')!.x, y: round.members.seats.get('alice')!.y };
      const wall = closedSide(here);
      assert.ok(wall, 'this maze has a wall next to the start');
      assertRefused(round, () => round.move('alice', wall, 20_000 + COOLDOWN_MS), 'wall');
      assert.deepEqual(types(round.move('alice', back, 20_000 + COOLDOWN_MS)), ['player_moved'], 'the wall cost no cooldown');
    });

    it('reveals exactly what each step lets the player see, once', () => {
      const round = playing(lobbyWith('alice'));
      const seen = new Set(cellsSeenFrom(maze, start).map(cellKey));
      let at = start;
      let now = 20_000;
      for (const direction of pathBetween(maze, start, maze.exit).slice(0, -1)) {
        const move = tryMove(maze, at, direction);
        assert.ok(move.ok);
        at = move.to;
        const [event] = round.move('alice', direction, (now += COOLDOWN_MS));
        assert.ok(event?.type === 'player_moved');
        const fresh = cellsSeenFrom(maze, at).filter((cell) => !seen.has(cellKey(cell)));
        assert.deepEqual(event.revealed, fresh);
        for (const cell of fresh) seen.add(cellKey(cell));
      }
      assert.deepEqual(new Set(round.knowledge.revealed), seen);
      assert.ok(round.knowledge.revealed.size < SIZE * SIZE, 'the fog still hides part of the maze');
    });

    it('finishes the round for the first player on the exit, and then refuses moves', () => {
      const round = playing(lobbyWith('alice', 'bob'));
      let now = 20_000;
      const path = pathBetween(maze, start, maze.exit);
      let last: RoundEvent[] = [];
      for (const direction of path) last = round.move('bob', direction, (now += COOLDOWN_MS));
      assert.deepEqual(last.at(-1), { type: 'round_finished', winner: { clientId: 'bob', name: 'BOB' }, finishedAt: now });
      assert.deepEqual([round.phase, round.finishedAt, round.winner], ['finished', now, { clientId: 'bob', name: 'BOB' }]);
      assertRefused(round, () => round.move('alice', path[0]!, now + 1000), 'wrong_phase');
    });
  });

  describe('new rounds', () => {
    function finished(): SessionRound {
      const round = lobbyWith('alice', 'bob');
      round.pickCharacter('alice', HERO.id);
      round.say('c-alice', 'good luck', 1);
      playing(round);
      let now = 20_000;
      for (const direction of pathBetween(maze, start, maze.exit)) round.move('alice', direction, (now += COOLDOWN_MS));
      assert.equal(round.phase, 'finished');
      return round;
    }

    it('follows only a finished round (wrong_phase), asked by a seated player', () => {
      const round = playing(lobbyWith('alice'));
      assertRefused(round, () => round.newRound('alice', { seed: 'next', labyrinthId: 'lab-2' }), 'wrong_phase');
      const done = finished();
      assertRefused(done, () => done.newRound('stranger', { seed: 'next', labyrinthId: 'lab-2' }), 'not_seated');
    });

    it('goes back to the lobby on the new maze: round + 1, nobody ready, all on the new start, characters and chat kept', () => {
      const round = finished();
      const next = generateMaze(SIZE, 'next');
      assert.deepEqual(round.newRound('bob', { seed: 'next', labyrinthId: 'lab-2' }), [
        { type: 'new_round', clientId: 'bob', round: 2, labyrinthId: 'lab-2', maze: next },
      ]);
      assert.deepEqual(facts(round), {
        phase: 'lobby',
        number: 2,
        countdownEndsAt: 0,
        startedAt: 0,
        finishedAt: 0,
        winner: null,
        labyrinthId: 'lab-2',
        seats: [
          { ...stored('alice'), x: next.startX, y: next.startY, connected: true, character: HERO },
          { ...stored('bob'), x: next.startX, y: next.startY, connected: true },
        ],
        revealed: [],
        chat: [{ from: 'alice', name: 'ALICE', text: 'good luck', at: 1 }],
      });
      assert.equal(round.maze.seed, 'next');
      assert.deepEqual(types(round.setReady('alice', true, 1)), ['ready_changed'], 'a new lobby, waiting for bob');
    });
  });

  describe('bot seats', () => {
    const bot = (number: number) => stored(`bot-${number}`, { name: `Bot ${number}`, ready: true });

    it('never counts bots as the person a round waits for: bots alone never start, a ready person does', () => {
      const round = newRound({ players: [bot(1), bot(2)] });
      assert.equal(round.allReady, false);
      assert.deepEqual(round.resume(0), []);
      const events = round.seatedOverHttp(stored('alice'), 1);
      assert.deepEqual(types(events), ['player_joined']);
      assert.deepEqual(types(round.setReady('alice', true, 2)), ['ready_changed', 'countdown_started']);
      assert.equal(round.allReady, true);
    });

    it('keeps bots ready across a new round, as recorded events after the new_round', () => {
      const round = newRound({ players: [bot(1), stored('alice', { ready: true })] });
      round.resume(0);
      round.startPlaying(COUNTDOWN_MS);
      let now = 10_000;
      for (const direction of pathBetween(maze, start, maze.exit)) round.move('alice', direction, (now += COOLDOWN_MS));
      const events = round.newRound('alice', { seed: 'next', labyrinthId: 'lab-2' });
      assert.deepEqual(types(events), ['new_round', 'ready_changed']);
      assert.deepEqual(events[1], { type: 'ready_changed', clientId: 'bot-1', ready: true });
      assert.deepEqual(round.readiness(), {
        players: [
          { clientId: 'bot-1', ready: true },
          { clientId: 'alice', ready: false },
        ],
        allReady: false,
      });
    });
  });

  describe('chat', () => {
    it('takes lines from players and spectators, trimmed and cleaned, with their names', () => {
      const round = lobbyWith('alice');
      round.spectatorJoined('s1', { clientId: 'eve', name: 'Eve' });
      assert.deepEqual(round.say('c-alice', '  hello\u0007 there  ', 5), [
        { type: 'chat_said', line: { from: 'alice', name: 'ALICE', text: 'hello there', at: 5 } },
      ]);
      assert.deepEqual(round.say('s1', 'hi', 6), [{ type: 'chat_said', line: { from: 'eve', name: 'Eve', text: 'hi', at: 6 } }]);
    });

    it('refuses empty (chat_empty) and too long (chat_too_long) lines, and connections with no seat (not_seated)', () => {
      const round = lobbyWith('alice');
      assertRefused(round, () => round.say('c-alice', '   ', 0), 'chat_empty');
      assertRefused(round, () => round.say('c-alice', 'x'.repeat(201), 0), 'chat_too_long');
      assert.deepEqual(types(round.say('c-alice', 'y'.repeat(200), 0)), ['chat_said']);
      assertRefused(round, () => round.say('nobody', 'hi', 0), 'not_seated');
    });

    it('allows five lines at once, then one a second (chat_rate_limited)', () => {
      const round = lobbyWith('alice');
      for (let index = 0; index < 5; index++) round.say('c-alice', `burst ${index}`, 0);
      assertRefused(round, () => round.say('c-alice', 'too many', 500), 'chat_rate_limited');
      assert.deepEqual(types(round.say('c-alice', 'after a second', 1000)), ['chat_said']);
    });

    it('keeps the last 50 lines', () => {
      const round = lobbyWith('alice');
      for (let index = 0; index < 60; index++) round.say('c-alice', `line ${index}`, index * 1000);
      assert.equal(round.chat.lines.length, 50);
      assert.equal(round.chat.lines[0]!.text, 'line 10');
    });
  });
});
