import { createServer } from 'node:http';
import { join } from 'node:path';
import { defineRoom, defineServer, LocalPresence, LobbyRoom, matchMaker, type IRoomCache } from '@colyseus/core';
import { labyrinthRoomWith } from '../rooms/configuredLabyrinthRoom.ts';
import { MATCHMAKING_FILTERS } from '../rooms/joinForms.ts';
import { LABYRINTH_ROOM, LOBBY_ROOM } from '../rooms/LabyrinthRoom.ts';
import { SessionRooms } from '../rooms/SessionRooms.ts';
import { startDeadProcessSweeper } from './cluster/deadProcessSweeper.ts';
import { connectRedis } from './cluster/connectRedis.ts';
import { refuseMatchmakingWhileRedisIsDown } from './cluster/matchmakingGate.ts';
import { connectRedisScaleOut } from './cluster/redisScaleOut.ts';
import type { Config } from './config.ts';
import { ContentService } from './content/ContentService.ts';
import { readContentDirectory } from './content/readContentDirectory.ts';
import { openDatabase } from './database/openDatabase.ts';
import { corsHeaders, refuseForeignMatchmaking } from './http/edge/browserOrigins.ts';
import { clientAddressResolver } from './http/edge/clientAddress.ts';
import { createTransport, MAX_MESSAGE_BYTES, MAX_MESSAGES_PER_SECOND } from './http/edge/createTransport.ts';
import { attachLegacyPushChannel, isLegacyPushRequest } from './http/legacy/legacyPushChannel.ts';
import { mountHttpRoutes } from './http/mountHttpRoutes.ts';
import { OriginPolicy } from './http/edge/OriginPolicy.ts';
import { FailedAdminLogins } from './http/edge/failedAdminLogins.ts';
import { createRateLimits, rateLimitStore } from './http/edge/rateLimits.ts';
import { WebSocketGate } from './http/edge/WebSocketGate.ts';
import { Accounts } from './identity/Accounts.ts';
import { Bans } from './identity/Bans.ts';
import { ClientIdentityService } from './identity/ClientIdentityService.ts';
import { PlayerTokens } from './identity/PlayerTokens.ts';
import type { Logger } from './logger.ts';
import { ServerMetrics } from './metrics/ServerMetrics.ts';
import { EventLoopWatch } from './overload/EventLoopWatch.ts';
import { timePatches } from './metrics/timePatches.ts';
import { SessionOwnership } from './ownership/SessionOwnership.ts';
import { projectRoot } from './projectRoot.ts';
import { AuditTrailRetention } from './sessions/AuditTrailRetention.ts';
import { RoundWriter } from './sessions/RoundWriter.ts';
import { SessionService } from './sessions/SessionService.ts';
import { applyMatchmakerPolicy } from './upstream/matchmakerController.ts';

export type AppOptions = {
  config: Config;
  logger: Logger;
  /** Let Colyseus handle SIGTERM/SIGINT (production); tests stop the server themselves. */
  handleSignals?: boolean;
};

/**
 * All wiring in one place: database, content, services, transport, HTTP routes and rooms.
 * `src/index.ts` listens with it and the tests boot it, so tests run exactly what production runs.
 */
export async function createAppServer({ config, logger, handleSignals = true }: AppOptions) {
  // Several processes: Colyseus presence and matchmaking in Redis. Its quick check comes before the
  // database's slow start (migrations), and fails the start if Redis does not answer. A labyrinth
  // room is listed only while this process owns its session: the driver asks `listable`, which
  // asks the session ownership once the database is open.
  const listable = { session: (_sessionId: string) => false };
  const mayList = (listing: IRoomCache) => listing.name !== LABYRINTH_ROOM || listable.session(listing.roomId);
  const scaleOut = config.cluster.redisUrl ? await connectRedisScaleOut(config.cluster.redisUrl, logger, mayList) : undefined;
  const database = await openDatabase({ ...config.database, logger, idleTransactionTimeoutMs: config.cluster.sessionLeaseMs });
  const sessions = new SessionService(database);
  const content = new ContentService(database);
  const guests = await ClientIdentityService.create(database, config.identity.clientAuth, config.identity.clientTokenSecret);
  const sessionRooms = new SessionRooms(sessions);
  const loaded = await content.load(await readContentDirectory(join(projectRoot, 'seed')));
  logger.info(loaded, 'loaded game content');

  if (config.identity.clientAuth === 'trust') {
    logger.warn('CLIENT_AUTH=trust: any caller may act as any clientId');
  }

  const load = new EventLoopWatch({ thresholdMs: config.load.overloadDelayMs, logger: logger.child({ component: 'load' }) }).start();
  const metrics = new ServerMetrics(() => load.overloaded);
  const { tokens, guests: guestsAllowed } = config.accounts;
  const accounts = new Accounts({
    tokens: tokens && new PlayerTokens(tokens, { logger: logger.child({ component: 'accounts' }), onRefused: (reason) => metrics.tokenRefused(reason) }),
    guests,
    bans: new Bans(database),
    guestsAllowed,
  });
  const ownership = new SessionOwnership(database, {
    processId: () => matchMaker.processId,
    address: config.server.publicAddress,
    leaseMs: config.cluster.sessionLeaseMs,
    cluster: scaleOut !== undefined,
    redisUp: () => scaleOut?.health.up ?? true,
    unwrittenForMs: (now) => writer.unwrittenForMs(now),
    flushIntervalMs: config.writer.flushIntervalMs,
    relist: () => matchMaker.restoreMissingRoomCaches(),
    metrics,
    logger: logger.child({ component: 'ownership' }),
  });
  listable.session = (sessionId) => ownership.mayList(sessionId);
  // The HTTP server is shared by Colyseus's transport and the old push channel at /ws/{id}; the
  // transport is told to leave those upgrade requests alone.
  const httpServer = createServer();
  // Origins, sockets per address and the join rate are screened for both, before either sees an upgrade.
  const origins = new OriginPolicy(config.http.allowedOrigins, { allowLocalhost: config.server.nodeEnv === 'development' });
  // Colyseus answers matchmaking and sets CORS headers before Express sees a request. The Redis check
  // comes first: it also answers a request that failed because Redis went away meanwhile.
  applyMatchmakerPolicy({
    ...corsHeaders(origins),
    refusals: [...(scaleOut ? [refuseMatchmakingWhileRedisIsDown(scaleOut.health)] : []), refuseForeignMatchmaking(origins)],
  });
  const rateLimitRedis = scaleOut && config.cluster.redisUrl ? await connectRedis(config.cluster.redisUrl, scaleOut.health) : undefined;
  const rateLimits = createRateLimits(config.rateLimits, rateLimitRedis, logger.child({ component: 'rate-limits' }));
  const failedAdminLogins = new FailedAdminLogins(
    rateLimitStore('admin-failures', rateLimitRedis),
    config.http.adminLoginFailures,
    metrics,
    logger.child({ component: 'admin-auth' }),
  );
  const transport = createTransport(httpServer, {
    messageReceived: () => metrics.messageReceived(),
    messageSent: () => metrics.messageSent(),
    connectionClosed: (code) => metrics.connectionClosed(code),
    lateness: (now) => load.lateness(now),
    logger: logger.child({ component: 'transport' }),
  });
  new WebSocketGate({
    policy: origins,
    maxPerAddress: config.http.maxSocketsPerAddress,
    addressOf: clientAddressResolver(config.http.trustProxy),
    roomJoin: (address) => rateLimits.socketJoin(address),
    logger: logger.child({ component: 'sockets' }),
  }).attach(httpServer, {
    isPush: isLegacyPushRequest,
    push: attachLegacyPushChannel(httpServer, sessionRooms, logger),
    room: (req, socket, head) => transport.handleUpgrade(req, socket, head),
  });

  const writer = new RoundWriter(database, {
    intervalMs: config.writer.flushIntervalMs,
    logger: logger.child({ component: 'writer' }),
    processId: () => matchMaker.processId,
    onFenced: (sessionId, epoch) => {
      metrics.writesFenced();
      ownership.fenced(sessionId, epoch);
    },
  });
  const labyrinthRoom = labyrinthRoomWith({
    sessions,
    writer,
    ownership: ownership,
    content,
    accounts,
    settings: config.room,
    socketLimits: { messagesPerSecond: MAX_MESSAGES_PER_SECOND, maxMessageBytes: MAX_MESSAGE_BYTES },
    maxSessions: config.http.maxSessions,
    load,
    metrics,
    logger: logger.child({ component: 'room' }),
  });
  // filterBy: a join finds the room of its session, of its code, or (quick play) one open to its
  // maze kind, fullest first (sortBy); see rooms/joinForms.ts.
  // enableRealtimeListing: the `lobby` room (Colyseus's LobbyRoom) hears of every change of a
  // listed room; private rooms are unlisted, so it never shows them.
  const labyrinthRooms = defineRoom(timePatches(labyrinthRoom, metrics))
    .filterBy([...MATCHMAKING_FILTERS])
    .sortBy({ freeSeats: 1 })
    .enableRealtimeListing();
  metrics.countJoins(labyrinthRooms);

  const server = defineServer({
    rooms: { [LABYRINTH_ROOM]: labyrinthRooms, [LOBBY_ROOM]: defineRoom(LobbyRoom) },
    transport,
    presence: scaleOut?.presence ?? singleProcessPresence(),
    driver: scaleOut?.driver,
    // Seat reservations tell the SDK to connect here, to the process that holds the room.
    publicAddress: config.server.publicAddress,
    logger,
    greet: false,
    gracefullyShutdown: handleSignals,
    express: (app) =>
      mountHttpRoutes(app, {
        sessions,
        sessionRooms,
        content,
        accounts,
        settings: config.http,
        origins,
        rateLimits,
        failedAdminLogins,
        publicAddress: config.server.publicAddress,
        developmentTools: config.server.nodeEnv === 'development',
        metrics,
        readinessChecks: {
          database: () => sessions.checkDatabase(),
          ...(scaleOut && { redis: () => scaleOut.check() }),
          // A balancer should stop sending new players here while the event loop is too late.
          load: () => Promise.resolve(load.overloaded ? { ok: false, reason: load.reason } : { ok: true }),
        },
        logger,
      }),
  });
  const sweeper = scaleOut && startDeadProcessSweeper(logger, scaleOut.health);
  const retention = new AuditTrailRetention(database, {
    retentionDays: config.writer.eventRetentionDays,
    embedded: !config.database.databaseUrl,
    logger: logger.child({ component: 'retention' }),
  }).start();
  server.onBeforeShutdown(() => {
    // The lease ends (this process is known gone) once its rooms have written and released their sessions.
    void ownership.drain();
    sweeper?.stop();
    retention.stop();
    load.stop();
    // Requests still arriving pass their limits (passOnStoreError) rather than fail.
    rateLimitRedis?.disconnect();
  });
  return server;
}

/**
 * The server's type, inferred from its definition: `Client<LabyrinthServer>` of the SDK reads from it
 * the rooms, their state, the messages and requests, so the demo and the tests are checked against
 * the server at compile time.
 */
export type LabyrinthServer = Awaited<ReturnType<typeof createAppServer>>;

/**
 * Colyseus's in-memory presence. Its matchmaker subscribes every join waiting for a room being created
 * (concurrent quick plays of one kind) to one channel: twenty at once are expected, so Node's
 * listener-leak warning at eleven is off (WatchedRedisPresence does the same).
 */
function singleProcessPresence(): LocalPresence {
  const presence = new LocalPresence();
  presence.setMaxListeners(0);
  return presence;
}
