import { Redis } from 'ioredis';
import type { LabyrinthRoom } from './labyrinthClient.ts';
import { clusterServices, endClusterTest, killServerProcesses, startServerProcess, type ClusterServices, type ServerProcess } from './serverProcess.ts';
import { resetTestDatabase } from './testServer.ts';

/** What the tests of a `twoServerProcesses` file reach; set by its hooks. */
export type TwoServerProcesses = {
  services: ClusterServices;
  /** A connection to the shared Redis, for the tests' own commands. */
  redis: Redis;
  processA: ServerProcess;
  processB: ServerProcess;
  /** The rooms a test joined: closed after it, without reconnecting. */
  openRooms: LabyrinthRoom[];
};

/**
 * The hooks of a cluster file whose tests each get two fresh server processes sharing PostgreSQL and
 * Redis (emptied first), on `ports`, with the settings `environment` gives for the shared services.
 * After each test its rooms are closed and the processes killed; a failed test shows both outputs.
 */
export function twoServerProcesses(
  ports: readonly [number, number, ...number[]],
  environment: (services: ClusterServices) => Record<string, string>,
): TwoServerProcesses {
  const cluster = { openRooms: [] } as unknown as TwoServerProcesses;

  before(() => {
    cluster.services = clusterServices();
    cluster.redis = new Redis(cluster.services.redisUrl);
  });
  after(async () => {
    cluster.redis?.disconnect();
    await endClusterTest();
  });

  beforeEach(async () => {
    await cluster.redis.flushdb();
    await resetTestDatabase();
    const settings = environment(cluster.services);
    [cluster.processA, cluster.processB] = await Promise.all([startServerProcess(ports[0], settings), startServerProcess(ports[1], settings)]);
  });
  afterEach(async function () {
    for (const room of cluster.openRooms.splice(0)) {
      room.reconnection.enabled = false;
      room.removeAllListeners();
      room.connection.close();
    }
    if (this.currentTest?.state === 'failed') {
      for (const server of [cluster.processA, cluster.processB]) console.error(`--- output of the server on port ${server?.port} ---\n${server?.output()}`);
    }
    await killServerProcesses();
  });

  return cluster;
}
