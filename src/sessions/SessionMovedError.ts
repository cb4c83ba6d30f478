import { UnavailableError } from '../domainErrors.ts';

/**
 * A room acted for a session that another room now owns (see SessionOwnership): nothing it wrote
 * after that landed. Its clients are told to join the session again (close code 4001), which takes
 * them to the room that owns it; an HTTP caller gets 503 and may try again.
 */
export class SessionMovedError extends UnavailableError {
  constructor(sessionId: string) {
    super('session_moved', `Session ${sessionId} moved to another room: join it again`);
  }
}
