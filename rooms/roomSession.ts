import { z } from 'zod';
import type { Config } from '../src/config.ts';
import type { SessionService } from '../src/sessions/SessionService.ts';
import type { SessionSnapshot } from '../src/sessions/sessionViews.ts';
import { SESSION_ID_PATTERN } from '../src/sessions/sessionId.ts';
import { parseJoinForm } from './joinForms.ts';
import { parseOptions, refusingJoinOn } from './joinRefusals.ts';

/** What the HTTP bridge creates a room with (SessionRooms): the session only. */
const bridgeOptions = z.object({ sessionId: z.string().regex(SESSION_ID_PATTERN, 'must be a session id (UUID)') });

/**
 * The session a new room plays, from the options of the join (or bridge call) that made it: the
 * session named by its id or by its join code (an unknown one is a 404), or, for quick play, a new
 * public session on the asked-for maze, created exactly as `POST /api/sessions` creates one.
 */
export async function sessionToPlay(
  options: unknown,
  services: { sessions: SessionService; settings: Config['room']; maxSessions: number },
): Promise<SessionSnapshot> {
  const { sessions, settings, maxSessions } = services;
  if (options !== null && typeof options === 'object' && 'sessionId' in options) {
    const { sessionId } = parseOptions(bridgeOptions, options);
    return refusingJoinOn(() => sessions.loadSnapshot(sessionId));
  }
  const join = parseJoinForm(options, { size: settings.quickPlaySize, fog: settings.quickPlayFog });
  return refusingJoinOn(async () => {
    if (join.form !== 'quickPlay') {
      return sessions.loadSnapshot(join.form === 'code' ? (await sessions.findByCode(join.options.code)).id : join.options.sessionId);
    }
    await sessions.refuseWhenAtCapacity(maxSessions);
    const created = await sessions.createSession({ size: join.size, fog: join.fog, maxPlayers: settings.quickPlayMaxPlayers });
    return sessions.loadSnapshot(created.id);
  });
}
