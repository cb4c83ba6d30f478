import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { clusterServices, endClusterTest, httpTo, startServerProcess, type ClusterServices } from '../support/serverProcess.ts';
import { resetTestDatabase } from '../support/testServer.ts';

// With REDIS_URL the rate limits count in Redis, so one address gets one limit however many
// processes it spreads its requests over.

const PORTS = [2616, 2617] as const;
const LIMIT = 4;

describe('rate limits across processes', function () {
  this.timeout(60_000);
  let services: ClusterServices;
  let redis: Redis;

  before(async () => {
    services = clusterServices();
    redis = new Redis(services.redisUrl);
    await redis.flushdb();
    await resetTestDatabase();
  });
  after(async () => {
    redis?.disconnect();
    await endClusterTest();
  });

  it('holds one session-creation limit for an address across two processes', async () => {
    const environment = {
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      PUBLIC_ADDRESS: '127.0.0.1:{port}',
      SESSION_CREATES_PER_MINUTE: String(LIMIT),
    };
    const [first, second] = await Promise.all(PORTS.map((port) => startServerProcess(port, environment)));
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i += 1) {
      const server = i % 2 === 0 ? first! : second!;
      statuses.push((await httpTo(server, 'POST', '/api/sessions', { size: 4 })).status);
    }
    assert.deepEqual(statuses, [...Array(LIMIT).fill(201), 429, 429]);
    assert.ok((await redis.keys('labyrinth:rate:session-creates:*')).length > 0, 'the count is not in Redis');
  });
});
