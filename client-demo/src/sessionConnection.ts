import { CloseCode } from '@colyseus/sdk';
import type { QuickPlayOptions, WelcomeMessage } from '../../rooms/labyrinthProtocol.ts';
import { BANNED_CLOSE_CODE, KICKED_CLOSE_CODE, SEAT_TAKEN_OVER_CLOSE_CODE, SESSION_DELETED_CLOSE_CODE } from '../../rooms/closeCodes.ts';
import { showConnection } from './connectionStatus.ts';
import { connectToServer, type LabyrinthRoom } from './labyrinthServer.ts';
import { clearNotice, showError, showInfo } from './notices.ts';
import { saveIdentity, type SavedIdentity } from './savedIdentity.ts';
import { serverErrorCode } from './serverErrorCode.ts';
import { shortId } from './shortId.ts';

/** The notices' topic of a failed join or rejoin: the next one replaces it, a join that works takes it away. */
const JOIN_TOPIC = 'join';
/** Rejoin attempts after the room went away: about 40 s in all, long enough for a restart. */
const REJOIN_ATTEMPTS = 10;
/**
 * Closes after which the seat is still ours but the room is gone, so only a new join gets back in:
 * a server shutdown, and the SDK giving up reconnecting (its process died; another re-creates it).
 */
const REJOIN_CODES = new Set<number>([CloseCode.SERVER_SHUTDOWN, CloseCode.FAILED_TO_RECONNECT]);

const leaveReasons: Record<number, string> = {
  [SESSION_DELETED_CLOSE_CODE]: 'The session was deleted',
  [SEAT_TAKEN_OVER_CLOSE_CODE]: 'Your seat was taken over by another tab or device',
  [KICKED_CLOSE_CODE]: 'An admin removed you from the session',
  [BANNED_CLOSE_CODE]: 'An admin banned you from this server',
};
/** Removals by an admin: the server's close reason says why, with the reason the admin gave. */
const REMOVED_CODES = new Set<number>([KICKED_CLOSE_CODE, BANNED_CLOSE_CODE]);
/** Closes after which the saved session is no longer ours to come back to on a reload. */
const FORGET_SESSION_CODES = new Set<number>([SESSION_DELETED_CLOSE_CODE, ...REMOVED_CODES]);

/**
 * Which session a join asks for, in the room's three join forms: a session by its id, a private
 * session by its join code, or quick play (a seat in an open session of that maze kind, or a new one).
 */
export type JoinTarget =
  { sessionId: string; spectator: boolean } | { code: string; spectator: boolean } | { quickPlay: Pick<QuickPlayOptions, 'size' | 'fog'> };

/** What the header says while joining. */
function describeTarget(target: JoinTarget): string {
  if ('sessionId' in target) return `session ${shortId(target.sessionId)}`;
  if ('code' in target) return `code ${target.code}`;
  return 'quick play';
}

/** What the game panel hears from the connection. */
export type ConnectionListener = {
  /** A room was joined: draw it and listen to its messages. */
  entered(room: LabyrinthRoom): void;
  /** The room's `whoami` answer: who this client is there, and the limits to keep to. */
  welcomed(welcome: WelcomeMessage): void;
  /** The room is left (for good, or until a rejoin). */
  left(): void;
  /** After joining or leaving: the session list refreshes. */
  changed(): void;
};

/**
 * The connection to one session's room: joins with the saved identity (so a reload takes the same
 * seat back), remembers the session, rejoins after a server restart, and says why a room was lost.
 */
export class SessionConnection {
  readonly #client = connectToServer();
  readonly #identity: SavedIdentity;
  readonly #listener: ConnectionListener;
  #room: LabyrinthRoom | undefined;

  constructor(identity: SavedIdentity, listener: ConnectionListener) {
    this.#identity = identity;
    this.#listener = listener;
  }

  /** The room joined, if any. */
  get room(): LabyrinthRoom | undefined {
    return this.#room;
  }

  /** Joins a session (by id, by code, or quick play) under `name`, leaving the current one first. */
  async join(target: JoinTarget, name: string): Promise<void> {
    if (this.#room) await this.leave();
    this.#identity.name = name;
    showConnection('joining', describeTarget(target));
    try {
      await this.#enter(target);
    } catch (error) {
      showConnection('idle');
      if ('sessionId' in target) this.#forgetIfGone(error);
      showError(error, `Joining ${describeTarget(target)}`, JOIN_TOPIC);
    }
    this.#listener.changed();
  }

  /** Leaves for good: the seat is freed. */
  async leave(): Promise<void> {
    const room = this.#room;
    if (!room) return;
    this.#identity.sessionId = undefined;
    saveIdentity(this.#identity);
    await room.leave(true);
  }

  /** Joins with the saved identity and remembers the session, so a reload comes back to it. */
  async #enter(target: JoinTarget): Promise<void> {
    const identity = this.#identity;
    const joiner = { clientId: identity.clientId, clientToken: identity.clientToken, name: identity.name || undefined };
    const room = await this.#client.joinOrCreate('labyrinth', 'quickPlay' in target ? { ...target.quickPlay, ...joiner } : { ...target, ...joiner });
    // The room's id is the session id, whichever form found it: a reload or rejoin names it.
    const sessionId = room.roomId;
    const spectator = 'spectator' in target && target.spectator;
    this.#room = room;
    room.onDrop(() => showConnection('reconnecting'));
    room.onReconnect(() => showConnection('connected', `session ${shortId(room.roomId)}`));
    room.onLeave((code, closeReason) => this.#onLeft(room, code, closeReason));
    this.#listener.entered(room);
    // The token proves this clientId is ours on later joins; `whoami` answers it race-free.
    const whoami = await room.request('whoami');
    if ('clientToken' in whoami) {
      identity.clientToken = whoami.clientToken;
      this.#listener.welcomed(whoami);
    }
    identity.sessionId = sessionId;
    identity.spectator = spectator;
    saveIdentity(identity);
    clearNotice(JOIN_TOPIC);
    showConnection('connected', `session ${shortId(sessionId)}${spectator ? ', watching' : ''}`);
  }

  /**
   * After a server shutdown (4001) or a failed reconnection (4003) the seat is still ours but the
   * room is gone, so join again: that re-creates the room from the database on this or another
   * process. Retries with backoff while the server restarts.
   */
  async #rejoin(sessionId: string, spectator: boolean): Promise<void> {
    for (let attempt = 1; attempt <= REJOIN_ATTEMPTS; attempt++) {
      showConnection('reconnecting', `the server restarted; rejoining, attempt ${attempt}`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** attempt, 5000)));
      // The user may have joined something else or left meanwhile.
      if (this.#room || this.#identity.sessionId !== sessionId) return;
      try {
        await this.#enter({ sessionId, spectator });
        this.#listener.changed();
        return;
      } catch (error) {
        // Refused for good (deleted, not ours, seated elsewhere): stop; a network error: try again.
        const code = serverErrorCode(error);
        if (code !== undefined && code >= 400 && code < 500) {
          this.#forgetIfGone(error);
          showConnection('lost', 'could not rejoin');
          showError(error, `Rejoining session ${shortId(sessionId)}`, JOIN_TOPIC);
          return;
        }
      }
    }
    showConnection('lost', 'the server did not come back');
  }

  /** The saved session is gone (deleted, or the database was reset): do not retry it on reload. */
  #forgetIfGone(error: unknown): void {
    if (serverErrorCode(error) === 404) {
      this.#identity.sessionId = undefined;
      saveIdentity(this.#identity);
    }
  }

  #onLeft(room: LabyrinthRoom, code: number, closeReason?: string): void {
    if (this.#room !== room) return;
    this.#room = undefined;
    this.#listener.left();
    const reason = leaveReasons[code];
    if (code === CloseCode.CONSENTED) {
      showConnection('idle');
    } else if (REJOIN_CODES.has(code) && this.#identity.sessionId === room.roomId) {
      void this.#rejoin(room.roomId, this.#identity.spectator);
    } else {
      showConnection('lost', reason ?? `closed with code ${code}`);
      if (FORGET_SESSION_CODES.has(code)) {
        this.#identity.sessionId = undefined;
        saveIdentity(this.#identity);
      }
      if (reason) showInfo(REMOVED_CODES.has(code) && closeReason ? closeReason : reason);
    }
    this.#listener.changed();
  }
}
