// Measures what joining a session costs across processes, and how long a kill -9 keeps a session
// away: `DATABASE_URL=… REDIS_URL=… node bench/crossProcessJoin.bench.ts [runs]` (default 15).
// Real server processes (`node src/index.ts`, ports 2640..2642) on loopback and real SDK clients;
// the time runs from `joinOrCreate` until the client's state has the client itself in `players`.
// Baseline, in the same run and on the same PostgreSQL: one process without Redis, cold join (the
// room is created from the database) and warm join (a second client joins the running room).
// Against it, two processes sharing Redis: the same cold join through A, a warm join through the
// process holding the room, and one through the other process (matchmaking there, seat reserved
// by a remote call, WebSocket to the holder's PUBLIC_ADDRESS). Rounds are interleaved, one fresh
// session each. Then recovery: from `kill -9` of the process holding a room until a join through
// the survivor is in a rebuilt room with the session's other player seated (gives up at 15 s).
// Timings on shared machines are noisy: read the medians and the ratios.
import { Client, type Room } from '@colyseus/sdk';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ServerProcess } from '../tests/support/serverProcess.ts';

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
if (!databaseUrl || !redisUrl) {
  console.error('usage: DATABASE_URL=postgresql://… REDIS_URL=redis://… node bench/crossProcessJoin.bench.ts [runs]');
  console.error(`missing: ${[!databaseUrl && 'DATABASE_URL', !redisUrl && 'REDIS_URL'].filter(Boolean).join(' and ')}`);
  process.exit(2);
}
// The server processes inherit this environment: only the cluster ones get Redis.
delete process.env.REDIS_URL;
// Imported only now: loading the server's modules prints dotenv's notes.
const { killServerProcesses, startServerProcess } = await import('../tests/support/serverProcess.ts');
const { TEST_ADMIN_PASSWORD } = await import('../tests/support/testServer.ts');
const runs = Number(process.argv[2] ?? 15);
const recoveryRuns = 3;
const RECOVERY_GIVE_UP_MS = 15_000;
const SESSION_SIZE = 16;
const PORTS = { single: 2640, a: 2641, b: 2642 } as const;

type PlayerView = { clientId: string };
type StateView = { players?: Map<string, PlayerView> };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
/** Nearest rank; with fewer than 10 values this is the maximum. */
const p90 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.9) - 1]!;
const ms = (value: number) => value.toFixed(1);

const environment = {
  single: { DATABASE_URL: databaseUrl, COUNTDOWN_SECONDS: '30' },
  cluster: { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, PUBLIC_ADDRESS: '127.0.0.1:{port}', COUNTDOWN_SECONDS: '30' },
};
const openRooms = new Set<Room>();

async function createSession(server: ServerProcess): Promise<string> {
  const response = await fetch(`${server.url}/api/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_PASSWORD}`, 'content-type': 'application/json' },
    body: JSON.stringify({ size: SESSION_SIZE }),
  });
  if (response.status !== 201) throw new Error(`POST /api/sessions answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** Client ids are global (the identity service): a new one for every player. */
const newClientId = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;
const hasPlayer = (room: Room, clientId: string) => (room.state as StateView | undefined)?.players?.get(clientId) !== undefined;

/** Joins and resolves once the client's state shows `waitFor` (by default the client itself) in `players`. */
async function join(
  server: ServerProcess,
  sessionId: string,
  clientId: string,
  extra: Record<string, string> = {},
  waitFor = [clientId],
): Promise<{ room: Room; ms: number }> {
  const started = performance.now();
  const room = await new Client(server.url).joinOrCreate('labyrinth', { sessionId, clientId, ...extra });
  openRooms.add(room);
  room.onMessage('error', () => undefined);
  const seated = () => waitFor.every((id) => hasPlayer(room, id));
  if (!seated()) {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${clientId} joined but never saw ${waitFor.join(', ')} in the state`)), 10_000);
      room.onStateChange(() => {
        if (seated()) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }
  return { room, ms: performance.now() - started };
}

async function leave(room: Room): Promise<void> {
  openRooms.delete(room);
  room.reconnection.enabled = false;
  await room.leave(true).catch(() => undefined);
  room.removeAllListeners();
}

/** Drops a client whose server is gone, without the SDK retrying against it. */
function abandon(room: Room): void {
  openRooms.delete(room);
  room.reconnection.enabled = false;
  room.removeAllListeners();
  room.connection.close();
}

async function roomsRunningIn(server: ServerProcess): Promise<number> {
  const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TEST_ADMIN_PASSWORD}` } });
  const match = /^labyrinth_rooms (\d+)$/m.exec(await response.text());
  if (!match) throw new Error(`no labyrinth_rooms in the /metrics of ${server.url}`);
  return Number(match[1]);
}

const timings = {
  singleCold: [] as number[],
  singleWarm: [] as number[],
  clusterCold: [] as number[],
  warmHolder: [] as number[],
  warmOther: [] as number[],
  recovery: [] as number[],
};
/** Cold joins through A split by where Colyseus put the room: A itself, or B (created by a remote call). */
const coldByPlace = { onA: [] as number[], onB: [] as number[] };

try {
  // eslint-disable-next-line prefer-const -- a and b are replaced when their process restarts
  let [single, a, b] = await Promise.all([
    startServerProcess(PORTS.single, environment.single),
    startServerProcess(PORTS.a, environment.cluster),
    startServerProcess(PORTS.b, environment.cluster),
  ]);

  /** One round of every join case on a fresh session each; the warm-up round is not recorded. */
  async function round(record: boolean): Promise<void> {
    const singleSession = await createSession(single);
    const first = await join(single, singleSession, newClientId('alice'));
    const second = await join(single, singleSession, newClientId('bob'));

    const clusterSession = await createSession(a);
    const [roomsInA, roomsInB] = [await roomsRunningIn(a), await roomsRunningIn(b)];
    const cold = await join(a, clusterSession, newClientId('alice'));
    // Colyseus places a new room on the process with the fewest rooms, which may be B.
    const onA = (await roomsRunningIn(a)) > roomsInA;
    if (!onA && (await roomsRunningIn(b)) <= roomsInB) throw new Error('the cold join made no new room on A or B');
    const [holder, other] = onA ? [a, b] : [b, a];
    const warmHolder = await join(holder, clusterSession, newClientId('bob'));
    const warmOther = await join(other, clusterSession, newClientId('carol'));

    for (const { room } of [first, second, cold, warmHolder, warmOther]) await leave(room);
    if (!record) return;
    timings.singleCold.push(first.ms);
    timings.singleWarm.push(second.ms);
    timings.clusterCold.push(cold.ms);
    timings.warmHolder.push(warmHolder.ms);
    timings.warmOther.push(warmOther.ms);
    (onA ? coldByPlace.onA : coldByPlace.onB).push(cold.ms);
  }

  await round(false);
  for (let run = 0; run < runs; run++) await round(true);

  for (let run = 0; run < recoveryRuns; run++) {
    const sessionId = await createSession(a);
    const [roomsInA] = [await roomsRunningIn(a)];
    const [aliceId, bobId] = [newClientId('alice'), newClientId('bob')];
    const alice = await join(a, sessionId, aliceId);
    const onA = (await roomsRunningIn(a)) > roomsInA;
    const [holder, survivor] = onA ? [a, b] : [b, a];
    const bob = await join(survivor, sessionId, bobId);
    const { clientToken } = await alice.room.request<unknown, { clientToken: string }>('whoami');
    alice.room.reconnection.enabled = false;
    bob.room.reconnection.enabled = false;

    const killedAt = performance.now();
    process.kill(holder.pid, 'SIGKILL');
    await holder.exited;
    abandon(alice.room);
    abandon(bob.room);
    let back: Room | undefined;
    let lastError: unknown;
    while (!back && performance.now() - killedAt < RECOVERY_GIVE_UP_MS) {
      back = await join(survivor, sessionId, aliceId, { clientToken }, [aliceId, bobId]).then(
        (joined) => joined.room,
        (error: unknown) => {
          lastError = error;
          return undefined;
        },
      );
    }
    if (!back) throw new Error(`no recovery within ${RECOVERY_GIVE_UP_MS} ms after the kill; last error: ${(lastError as Error)?.message}`);
    timings.recovery.push(performance.now() - killedAt);
    await leave(back);

    const restarted = await startServerProcess(holder.port, environment.cluster);
    if (holder === a) a = restarted;
    else b = restarted;
  }

  const rows: Array<[string, number[], number[] | undefined]> = [
    ['cold join, one process (baseline)', timings.singleCold, undefined],
    ['warm join, one process (baseline)', timings.singleWarm, undefined],
    ['cold join through A, two processes', timings.clusterCold, timings.singleCold],
    ...(coldByPlace.onA.length && coldByPlace.onB.length
      ? ([
          [`  of which room on A (${coldByPlace.onA.length})`, coldByPlace.onA, timings.singleCold],
          [`  of which room on B (${coldByPlace.onB.length})`, coldByPlace.onB, timings.singleCold],
        ] as Array<[string, number[], number[]]>)
      : []),
    ['warm join through the holder', timings.warmHolder, timings.singleWarm],
    ['warm join through the other process', timings.warmOther, timings.singleWarm],
    [`recovery after kill -9 (${recoveryRuns} runs)`, timings.recovery, timings.singleCold],
  ];
  console.log(`joins on sessions of ${SESSION_SIZE}×${SESSION_SIZE}, PostgreSQL, medians of ${runs} interleaved rounds:`);
  console.log(`${'case'.padEnd(40)} ${'median'.padStart(9)} ${'p90'.padStart(9)}  ratio to baseline`);
  for (const [name, values, baseline] of rows) {
    const ratio = baseline ? `${(median(values) / median(baseline)).toFixed(1)}×` : '';
    console.log(`${name.padEnd(40)} ${`${ms(median(values))} ms`.padStart(9)} ${`${ms(p90(values))} ms`.padStart(9)}  ${ratio}`);
  }
  console.log(
    `(Colyseus put the cold join's room on A in ${coldByPlace.onA.length} of ${runs} rounds, on B otherwise; recovery is compared with the cold join)`,
  );
  console.log('timings, ms:');
  for (const [name, values] of Object.entries(timings)) console.log(`  ${name}: ${values.map(ms).join(' ')}`);
} finally {
  for (const room of [...openRooms]) abandon(room);
  await killServerProcesses();
}
