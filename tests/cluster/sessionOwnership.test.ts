import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { SESSION_MOVED_CLOSE_CODE } from '../../rooms/closeCodes.ts';
import type { EventPage } from '../../src/sessions/auditTrail.ts';
import { SessionService } from '../../src/sessions/SessionService.ts';
import { CuttableProxy } from '../support/cuttableProxy.ts';
import {
  clusterServices,
  endClusterTest,
  httpTo,
  killServerProcesses,
  startServerProcess,
  type ClusterServices,
  type ServerProcess,
} from '../support/serverProcess.ts';
import { resetTestDatabase, testDatabase } from '../support/testServer.ts';
import { waitFor } from '../support/waitFor.ts';
import { labyrinthClient, whoami, type LabyrinthRoom, type LabyrinthState } from '../support/labyrinthClient.ts';

// One session, one room, whatever happens to the process that holds it (docs/operations.md, "One
// session, one room"). Two real server processes on distinct loopback addresses, as on two
// machines (HOST and PUBLIC_ADDRESS per process), each reaching the shared Redis and PostgreSQL
// through proxies of its own that a test cuts: the holder alone is cut off from Redis, paused
// (SIGSTOP), or cut off from both, while its players stay connected to it; a newcomer joins through
// the other process; then everything comes back.

const HOSTS = ['127.0.0.2', '127.0.0.3'] as const;
const PORTS = [2630, 2631] as const;
/** SESSION_LEASE_MS, the default. */
const LEASE_MS = 3000;
/** The bound docs/operations.md states: from the cut (or the pause) to a newcomer's seat. */
const TAKEOVER_BOUND_MS = LEASE_MS + 7000;
/** From the holder's return, how long its players may take to be gathered in the session's room. */
const REGATHER_BOUND_MS = 10_000;
const FLUSH_INTERVAL_MS = 50;

type StoredEvent = EventPage['events'][number];

/** A server process with the proxies through which it reaches Redis and PostgreSQL. */
type Member = { server: ServerProcess; redis: CuttableProxy; database: CuttableProxy };

describe('one session, one room: ownership in the database (two processes on two addresses)', function () {
  this.timeout(120_000);
  let services: ClusterServices;
  let members: Member[] = [];
  const players: Player[] = [];

  before(() => {
    services = clusterServices();
  });
  after(endClusterTest);

  beforeEach(async () => {
    const redis = new Redis(services.redisUrl);
    await redis.flushdb();
    redis.disconnect();
    await resetTestDatabase();
    members = await Promise.all(HOSTS.map((host, index) => startMember(host, PORTS[index]!)));
  });

  afterEach(async function () {
    for (const player of players.splice(0)) player.close();
    if (this.currentTest?.state === 'failed') {
      for (const { server } of members) console.error(`--- output of the server at ${server.url} ---\n${server.output()}`);
    }
    await killServerProcesses();
    for (const member of members) await Promise.all([member.redis.close(), member.database.close()]);
  });

  async function startMember(host: string, port: number): Promise<Member> {
    const redisTarget = new URL(services.redisUrl);
    const databaseTarget = new URL(services.databaseUrl);
    const redis = await CuttableProxy.start(redisTarget.hostname, Number(redisTarget.port || 6379));
    const database = await CuttableProxy.start(databaseTarget.hostname, Number(databaseTarget.port || 5432));
    const throughProxy = new URL(services.databaseUrl);
    throughProxy.host = `127.0.0.1:${database.port}`;
    const server = await startServerProcess(port, {
      DATABASE_URL: throughProxy.toString(),
      REDIS_URL: `redis://127.0.0.1:${redis.port}`,
      HOST: host,
      PUBLIC_ADDRESS: `${host}:{port}`,
      FLUSH_INTERVAL_MS: String(FLUSH_INTERVAL_MS),
      // No round starts by itself here: the players' readiness is what these tests follow.
      COUNTDOWN_SECONDS: '30',
    });
    return { server, redis, database };
  }

  /** Rooms running in a process, and how often its ownership counters moved, from its /metrics. */
  async function metricsOf(member: Member): Promise<{ rooms: number; counters: string }> {
    const text = String((await httpTo(member.server, 'GET', '/metrics')).body);
    const rooms = Number(/^labyrinth_rooms (\d+)$/m.exec(text)?.[1] ?? NaN);
    const counters = text
      .split('\n')
      .filter((line) => /^labyrinth_(session_takeovers|rooms_superseded|writes_fenced)_total/.test(line))
      .join('\n');
    return { rooms, counters };
  }

  /** With one room running: the process that holds it, and the other one. */
  async function whereTheRoomRuns(): Promise<{ holder: Member; other: Member }> {
    const [a, b] = await Promise.all(members.map(metricsOf));
    assert.equal(a!.rooms + b!.rooms, 1, `one room in the cluster (${a!.rooms} + ${b!.rooms})`);
    return a!.rooms === 1 ? { holder: members[0]!, other: members[1]! } : { holder: members[1]!, other: members[0]! };
  }

  async function createSession(): Promise<string> {
    const created = await httpTo(members[0]!.server, 'POST', '/api/sessions', { size: 6 });
    assert.equal(created.status, 201);
    return created.body.id as string;
  }

  async function join(member: Member, sessionId: string, clientId: string): Promise<Player> {
    const player = new Player(sessionId, clientId);
    players.push(player);
    await player.joinThrough(member);
    return player;
  }

  /** The seats the database holds, and each one's readiness. */
  async function storedSeats(sessionId: string): Promise<Record<string, boolean>> {
    const snapshot = await new SessionService(await testDatabase()).loadSnapshot(sessionId);
    return Object.fromEntries(snapshot.players.map((player) => [player.clientId, player.ready]));
  }

  /** The audit trail as stored, checked to be numbered 1, 2, 3… without a gap or a repeat. */
  async function trail(sessionId: string): Promise<StoredEvent[]> {
    const sessions = new SessionService(await testDatabase());
    const events: StoredEvent[] = [];
    for (let more = true; more;) {
      const page = await sessions.listEvents(sessionId, { after: events.at(-1)?.seq ?? 0, limit: 100, admin: true });
      events.push(...page.events);
      more = page.more;
    }
    assert.deepEqual(
      events.map((event) => event.seq),
      events.map((_, index) => index + 1),
      'the audit trail is numbered without a gap or a repeat',
    );
    return events;
  }

  const readinessOf = (events: StoredEvent[], clientId: string) =>
    events.filter((event) => event.type === 'ready_changed' && event.actor === clientId).map((event) => (event.data as { ready: boolean }).ready);

  /** Waits until every player is in the same room and sees every other, connected. */
  async function gathered(all: Player[]): Promise<void> {
    await waitFor(
      () => all.every((player) => all.every((other) => player.state()?.players?.get(other.clientId)?.connected === true)),
      () =>
        `every player in one room, seeing the others (${all.map((player) => `${player.clientId}: ${[...(player.state()?.players?.keys() ?? [])].join(',')}`).join('; ')})`,
      REGATHER_BOUND_MS,
    );
    const [a, b] = await Promise.all(members.map(metricsOf));
    assert.equal(a!.rooms + b!.rooms, 1, 'one room for the session in the whole cluster');
  }

  it('moves a session whose holder lost Redis to the process a newcomer joins through, writing everything first, and gathers its players there', async () => {
    const sessionId = await createSession();
    const alice = await join(members[0]!, sessionId, 'alice');
    const { holder, other } = await whereTheRoomRuns();
    await alice.ready(true);

    holder.redis.cut();
    const cutAt = Date.now();
    // The holder's room plays on while it still owns the session, and writes what it takes.
    await alice.ready(false);
    const bob = await join(other, sessionId, 'bob');
    const takeoverMs = Date.now() - cutAt;
    console.log(`      (a newcomer seated through the other process ${takeoverMs} ms after the holder lost Redis)`);
    assert.ok(takeoverMs < TAKEOVER_BOUND_MS, `seated within ${TAKEOVER_BOUND_MS} ms`);
    // The holder handed the session over: it wrote what it had taken, then closed its clients with 4001.
    assert.equal(await alice.closed(), SESSION_MOVED_CLOSE_CODE);
    assert.deepEqual(await storedSeats(sessionId), { alice: false, bob: false }, "the holder's last change was written before the handover");

    holder.redis.restore();
    await alice.rejoinThrough(holder);
    await gathered([alice, bob]);
    assert.deepEqual(await storedSeats(sessionId), { alice: false, bob: false });
    const events = await trail(sessionId);
    assert.deepEqual(readinessOf(events, 'alice'), [true, false], "alice's changes in the old room, each once");
    const bobJoined = events.findIndex((event) => event.type === 'player_joined' && event.actor === 'bob');
    assert.ok(
      events.slice(bobJoined).every((event) => event.type !== 'ready_changed'),
      'nothing from the old room after the takeover',
    );
    assert.match((await metricsOf(other)).counters, /labyrinth_session_takeovers_total\{how="handed_over"\} 1/);
    assert.match((await metricsOf(holder)).counters, /labyrinth_rooms_superseded_total\{reason="handed_over"\} 1/);
  });

  it('lists a room that owns its session again when Redis lost its listing, so a newcomer joins it rather than waiting', async () => {
    const sessionId = await createSession();
    const alice = await join(members[0]!, sessionId, 'alice');
    const { other } = await whereTheRoomRuns();
    const redis = new Redis(services.redisUrl);
    try {
      // Redis restarted without its data, say: every listing is gone, the room plays on.
      await redis.flushdb();
      await waitFor(async () => (await redis.hexists('roomcaches', sessionId)) === 1, 'the room listed again', LEASE_MS);
    } finally {
      redis.disconnect();
    }
    const bob = await join(other, sessionId, 'bob');
    await gathered([alice, bob]);
  });

  it('seats a newcomer within the lease when the holder pauses; the resumed room writes nothing and sends its players on', async () => {
    const sessionId = await createSession();
    const alice = await join(members[0]!, sessionId, 'alice');
    const { holder, other } = await whereTheRoomRuns();
    await alice.ready(true);
    // Written for sure: ten flush intervals.
    await new Promise((resolve) => setTimeout(resolve, 10 * FLUSH_INTERVAL_MS));

    process.kill(holder.server.pid, 'SIGSTOP');
    const pausedAt = Date.now();
    try {
      // Reaches the paused room only once it resumes.
      alice.room!.send('ready', { ready: false });
      const bob = await join(other, sessionId, 'bob');
      const takeoverMs = Date.now() - pausedAt;
      console.log(`      (a newcomer seated through the other process ${takeoverMs} ms after the holder paused)`);
      assert.ok(takeoverMs < TAKEOVER_BOUND_MS, `seated within ${TAKEOVER_BOUND_MS} ms`);
      assert.deepEqual(await storedSeats(sessionId), { alice: true, bob: false });

      process.kill(holder.server.pid, 'SIGCONT');
      // The resumed room learns it no longer owns the session: it writes nothing and sends alice on.
      assert.equal(await alice.closed(), SESSION_MOVED_CLOSE_CODE);
      await alice.rejoinThrough(holder);
      await gathered([alice, bob]);
    } finally {
      process.kill(holder.server.pid, 'SIGCONT');
    }
    // Her change sent to the paused room was never written; the new room shows her as stored.
    assert.equal(alice.state()?.players.get('alice')?.ready, true);
    assert.deepEqual(await storedSeats(sessionId), { alice: true, bob: false });
    const events = await trail(sessionId);
    assert.deepEqual(readinessOf(events, 'alice'), [true]);
    assert.match((await metricsOf(other)).counters, /labyrinth_session_takeovers_total\{how="expired"\} 1/);
    assert.match((await metricsOf(holder)).counters, /labyrinth_rooms_superseded_total\{reason="superseded"\} 1/);
  });

  it('loses at most one flush interval of moves of a superseded room: what it took longer ago is in the room that follows', async () => {
    const sessionId = await createSession();
    const alice = await join(members[0]!, sessionId, 'alice');
    const { holder, other } = await whereTheRoomRuns();
    // Readiness stands for every batched row here (positions and tiles are written in the same flush).
    const changes: { ready: boolean; seenAt: number }[] = [];
    for (let change = 0; change < 12; change++) {
      const ready = change % 2 === 0;
      await alice.ready(ready);
      changes.push({ ready, seenAt: Date.now() });
    }
    process.kill(holder.server.pid, 'SIGSTOP');
    const pausedAt = Date.now();
    try {
      const bob = await join(other, sessionId, 'bob');
      process.kill(holder.server.pid, 'SIGCONT');
      assert.equal(await alice.closed(), SESSION_MOVED_CLOSE_CODE);
      await alice.rejoinThrough(other);
      await gathered([alice, bob]);
    } finally {
      process.kill(holder.server.pid, 'SIGCONT');
    }
    const written = readinessOf(await trail(sessionId), 'alice');
    // What alice saw applied more than one flush interval (and a margin for the two clocks) before the pause was written, in order.
    const surely = changes.filter((change) => change.seenAt < pausedAt - FLUSH_INTERVAL_MS - 100).map((change) => change.ready);
    console.log(
      `      (${changes.length - written.length} of ${changes.length} changes lost, ${changes.length - surely.length} of them within a flush interval of the pause)`,
    );
    assert.deepEqual(
      written,
      changes.slice(0, written.length).map((change) => change.ready),
      'what was written is what alice did, in order, and nothing the paused room took after',
    );
    assert.ok(
      written.length >= surely.length,
      `the changes older than a flush interval were written (${written.length} of ${changes.length}, ${surely.length} older)`,
    );
    assert.equal(alice.state()?.players.get('alice')?.ready, written.at(-1), 'the new room shows the last written change');
  });

  it('closes the rooms of a holder cut off from Redis and PostgreSQL once it can no longer write; the newcomer gets the session within the lease', async () => {
    const sessionId = await createSession();
    const alice = await join(members[0]!, sessionId, 'alice');
    const { holder, other } = await whereTheRoomRuns();
    await alice.ready(true);
    await new Promise((resolve) => setTimeout(resolve, 10 * FLUSH_INTERVAL_MS));

    holder.redis.cut();
    holder.database.cut();
    const cutAt = Date.now();
    // Taken, but its write cannot land: once it is late, the room takes nothing more.
    alice.room!.send('ready', { ready: false });
    const refusal = await waitFor(
      async () => {
        alice.room!.send('ready', { ready: false });
        await new Promise((resolve) => setTimeout(resolve, 100));
        return alice.errors.find((error) => error.code === 'session_unconfirmed');
      },
      'the cut-off room to refuse commands',
      LEASE_MS,
    );
    assert.match(refusal.message, /cannot confirm/);
    const bob = await join(other, sessionId, 'bob');
    const takeoverMs = Date.now() - cutAt;
    console.log(`      (a newcomer seated through the other process ${takeoverMs} ms after the holder lost Redis and PostgreSQL)`);
    assert.ok(takeoverMs < TAKEOVER_BOUND_MS, `seated within ${TAKEOVER_BOUND_MS} ms`);
    // Its lease ran out by its own clock: the room closed its clients.
    assert.equal(await alice.closed(), SESSION_MOVED_CLOSE_CODE);

    holder.redis.restore();
    holder.database.restore();
    await alice.rejoinThrough(holder);
    await gathered([alice, bob]);
    // What the cut-off room took after its last write never landed, even once it could write again.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(await storedSeats(sessionId), { alice: true, bob: false });
    assert.deepEqual(readinessOf(await trail(sessionId), 'alice'), [true]);
    assert.equal(alice.state()?.players.get('alice')?.ready, true);
    assert.match((await metricsOf(other)).counters, /labyrinth_session_takeovers_total\{how="expired"\} 1/);
    assert.match((await metricsOf(holder)).counters, /labyrinth_rooms_superseded_total\{reason="lapsed"\} 1/);
  });
});

/** A player with the SDK: joins, keeps its clientToken, and hears how its room closed. */
class Player {
  room: LabyrinthRoom | undefined;
  readonly errors: { code: string; message: string }[] = [];
  #token: string | undefined;
  #closedWith: Promise<number> | undefined;

  readonly sessionId: string;
  readonly clientId: string;

  constructor(sessionId: string, clientId: string) {
    this.sessionId = sessionId;
    this.clientId = clientId;
  }

  state(): LabyrinthState | undefined {
    return this.room?.state;
  }

  async joinThrough(member: Member): Promise<void> {
    const room = await labyrinthClient(member.server.url).joinOrCreate('labyrinth', {
      sessionId: this.sessionId,
      clientId: this.clientId,
      ...(this.#token ? { clientToken: this.#token } : {}),
    });
    this.room = room;
    room.onMessage('error', (error) => this.errors.push(error));
    room.onMessage('chat', () => undefined);
    this.#closedWith = new Promise((resolve) => room.onLeave((code) => resolve(code)));
    this.#token ??= (await whoami(room)).clientToken;
  }

  /** Joins the session again, as a client told 4001 does, retrying while the process cannot place it yet. */
  async rejoinThrough(member: Member): Promise<void> {
    let lastError: unknown;
    await waitFor(
      async () => {
        try {
          await this.joinThrough(member);
          return true;
        } catch (error) {
          lastError = error;
          await new Promise((resolve) => setTimeout(resolve, 250));
          return false;
        }
      },
      () => `${this.clientId} to join again (${String((lastError as Error | undefined)?.message)})`,
      REGATHER_BOUND_MS,
    );
  }

  /** Sets readiness and waits until its room shows it. */
  async ready(ready: boolean): Promise<void> {
    this.room!.send('ready', { ready });
    await waitFor(() => this.state()?.players.get(this.clientId)?.ready === ready, `${this.clientId} ready: ${ready}`);
  }

  /** The close code of its room's connection, once closed. */
  closed(): Promise<number> {
    return withinMs(this.#closedWith!, REGATHER_BOUND_MS, `${this.clientId}'s room to close`);
  }

  close(): void {
    if (!this.room) return;
    this.room.reconnection.enabled = false;
    this.room.removeAllListeners();
    this.room.connection.close();
  }
}

async function withinMs<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
