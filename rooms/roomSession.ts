import { z } from 'zod';
import type { Config } from '../src/config.ts';
import { refuseWhenAtCapacity } from '../src/sessions/sessionCapacity.ts';
import type { SessionService } from '../src/sessions/SessionService.ts';
import { SESSION_ID_PATTERN } from '../src/sessions/sessionId.ts';
import { parseJoinForm } from './joinForms.ts';
import { parseOptions, refusingJoinOn } from './joinRefusals.ts';

/** What the HTTP bridge creates a room with (SessionRooms): the session only. */
const bridgeOptions = z.object({ sessionId: z.string().regex(SESSION_ID_PATTERN, 'must be a session id (UUID)') });

/**
 * The session a new room plays, from the options of the join (or bridge call) that made it: the
 * session named by its id or by its join code (an unknown one is a 404), or, for quick play, a new
 * public session on the asked-for maze, created exactly as `POST /api/sessions` creates one. The
 * room takes the session (SessionOwnership) before it loads it.
 */
export async function sessionIdToPlay(
  options: unknown,
  services: { sessions: SessionService; settings: Config['room']; maxSessions: number },
): Promise<string> {
  const { sessions, settings, maxSessions } = services;
  if (options !== null && typeof options === 'object' && 'sessionId' in options) {
    return parseOptions(bridgeOptions, options).sessionId;
  }
  const join = parseJoinForm(options, { size: settings.quickPlaySize, fog: settings.quickPlayFog });
  if (join.form === 'session') return join.options.sessionId;
  return refusingJoinOn(async () => {
    if (join.form === 'code') return (await sessions.findByCode(join.options.code)).id;
    await refuseWhenAtCapacity(sessions, maxSessions);
    const created = await sessions.createSession({ size: join.size, fog: join.fog, maxPlayers: settings.quickPlayMaxPlayers });
    return created.id;
  });
}
