import { matchMaker, ServerError, type IRoomCache } from '@colyseus/core';
import { DomainError, NotFoundError } from '../src/domainErrors.ts';
import { allPlayersReady, type Readiness } from '../src/game/readiness.ts';
import type { SessionService } from '../src/sessions/SessionService.ts';
import type { Removal } from '../src/game/roundFacts.ts';
import { BANNED_CHANNEL, type BannedMessage } from './bannedChannel.ts';
import { fromReply, type BridgeReply } from './bridgeReply.ts';
import { LABYRINTH_ROOM, type LabyrinthRoom } from './LabyrinthRoom.ts';
import type { LabyrinthRoomMetadata } from './roomListing.ts';

/** What `GET /api/sessions` shows of a running room. */
export type LiveRoom = { players: number; bots: number; connected: number; allReady: boolean; clients: number };

/** The room's methods HTTP handlers call, each answering a `BridgeReply`. */
type BridgeMethod = 'joinOverHttp' | 'leaveOverHttp' | 'setReadyOverHttp' | 'removePlayer';
/** What a bridge method's reply carries when it succeeds. */
type ReplyOf<Method extends BridgeMethod> = Awaited<ReturnType<LabyrinthRoom[Method]>> extends BridgeReply<infer T> ? T : never;

/**
 * How HTTP handlers reach the room of a session. They never hold a room object: they find or
 * create the room through the matchmaker and call its methods with `remoteRoomCall`, which works
 * whether the room lives in this process or another one.
 */
export class SessionRooms {
  readonly #sessions: SessionService;

  constructor(sessions: SessionService) {
    this.#sessions = sessions;
  }

  /**
   * Calls a bridge method on the session's room, creating the room from the database if none runs.
   * Arguments and reply are typed by the room's own method, as `remoteRoomCall` is.
   */
  async call<Method extends BridgeMethod>(sessionId: string, method: Method, ...args: Parameters<LabyrinthRoom[Method]>): Promise<ReplyOf<Method>> {
    // A room can be disposing just as we call it, or live in a process that died: one retry lands
    // in its successor.
    for (let attempt = 1; ; attempt++) {
      const room = await this.#findOrCreate(sessionId);
      try {
        const reply = (await matchMaker.remoteRoomCall<LabyrinthRoom>(room.roomId, method, args)) as BridgeReply<ReplyOf<Method>>;
        return fromReply(reply);
      } catch (error) {
        if (error instanceof DomainError || attempt >= 2) throw error;
        await this.#releaseIfProcessDied(room);
      }
    }
  }

  /** Readiness from the running room, or from the database when no room runs (no room is made). */
  async readiness(sessionId: string): Promise<Readiness> {
    const room = await this.#find(sessionId);
    if (room) {
      try {
        return (await matchMaker.remoteRoomCall<LabyrinthRoom>(room.roomId, 'readiness', [])) as Readiness;
      } catch {
        // Disposed meanwhile: the database has everything it wrote.
      }
    }
    const snapshot = await this.#sessions.loadSnapshot(sessionId);
    const players = snapshot.players.map((player) => ({ clientId: player.clientId, ready: player.ready }));
    return { players, allReady: allPlayersReady(players) };
  }

  /** Live data of every running labyrinth room, by session id. */
  async liveRooms(): Promise<Map<string, LiveRoom>> {
    const rooms = (await matchMaker.query({ name: LABYRINTH_ROOM })) as IRoomCache<Partial<LabyrinthRoomMetadata>>[];
    return new Map(
      rooms.map((room) => [
        room.roomId,
        {
          players: room.metadata?.seated ?? 0,
          bots: room.metadata?.bots ?? 0,
          connected: room.metadata?.players ?? 0,
          allReady: room.metadata?.allReady === true,
          clients: room.clients,
        },
      ]),
    );
  }

  /** An admin kicks a player out of a session (its room is made from the database if none runs); 404 when it is not there. */
  async kick(sessionId: string, clientId: string, removal: Removal): Promise<void> {
    if (!(await this.call(sessionId, 'removePlayer', clientId, removal))) {
      throw new NotFoundError('player_not_found', `${clientId} is neither seated in nor watching session ${sessionId}`, 'clientId');
    }
  }

  /**
   * After a ban (already in the database): the identity's seat is freed in its session's room, and
   * every room of every process closes its connections (presence), a spectator's too.
   */
  async removeEverywhere(clientId: string, removal: Removal): Promise<void> {
    const seat = await this.#sessions.findSeat(clientId);
    if (seat) {
      await this.call(seat.sessionId, 'removePlayer', clientId, removal).catch((error: unknown) => {
        // Its session was deleted meanwhile: no seat left to free.
        if (!(error instanceof NotFoundError)) throw error;
      });
    }
    await matchMaker.presence.publish(BANNED_CHANNEL, { clientId, removal } satisfies BannedMessage);
  }

  /** Deletes a session from the database, then closes its room if one runs. */
  async deleteSession(sessionId: string): Promise<void> {
    await this.#sessions.deleteSession(sessionId);
    await this.#close(sessionId);
  }

  /** Deletes every session and labyrinth, then closes the rooms that were running. */
  async deleteAllSessions(): Promise<{ deleted: number }> {
    const running = await this.liveRooms();
    const result = await this.#sessions.deleteAllSessions();
    await Promise.all([...running.keys()].map((sessionId) => this.#close(sessionId)));
    return result;
  }

  /** Closes the session's room, if one runs, telling its clients the session is gone. */
  async #close(sessionId: string): Promise<void> {
    const room = await this.#find(sessionId);
    if (room) {
      await matchMaker.remoteRoomCall<LabyrinthRoom>(room.roomId, 'closeForDeletedSession', []).catch(() => undefined);
    }
  }

  /**
   * A room in another process did not answer. Colyseus health-checks that process (the same check
   * it runs when a seat reservation times out); if it is dead its listings are removed, so that the
   * retry re-creates the room from the database instead of calling the dead one again.
   */
  async #releaseIfProcessDied(room: IRoomCache): Promise<void> {
    if (room.processId !== matchMaker.processId) {
      await matchMaker.healthCheckProcessId(room.processId);
    }
  }

  async #find(sessionId: string): Promise<IRoomCache | undefined> {
    const [room] = await matchMaker.query({ name: LABYRINTH_ROOM, roomId: sessionId });
    return room;
  }

  async #findOrCreate(sessionId: string): Promise<IRoomCache> {
    const existing = await this.#find(sessionId);
    if (existing) return existing;
    try {
      // Concurrent creations for one session are safe: the room takes the session id as its
      // roomId and the matchmaker's driver keeps only the first, returning it to the others.
      return await matchMaker.createRoom(LABYRINTH_ROOM, { sessionId });
    } catch (error) {
      if (error instanceof ServerError && error.code === 404) {
        throw new NotFoundError('session_not_found', `Session ${sessionId} not found`);
      }
      throw error;
    }
  }
}
