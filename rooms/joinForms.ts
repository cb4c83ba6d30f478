import type { z } from 'zod';
import type { Config } from '../src/config.ts';
import type { FogMode } from '../src/game/MazeKnowledge.ts';
import { invalidOptions, parseOptions } from './joinRefusals.ts';
import { codeJoinOptions, quickPlayOptions, sessionJoinOptions } from './labyrinthProtocol.ts';

/** The option the matchmaker filters quick play by; rooms open to it list the same value in their metadata. */
export const QUICK_PLAY_FILTER = 'quickPlay' as const;
/**
 * The option that carries who a token signed in (`SignedInJoin`) from the room type's static onAuth,
 * which verifies the token of the matchmaking request, to the room that seats the player.
 */
export const SIGNED_IN_OPTION = 'signedIn' as const;

/** A player a token signed in, as a join's options carry it to the room. */
export type SignedInJoin = { clientId: string; name: string | undefined };
/** What the matchmaker finds rooms by (`filterBy`): one of these is in every join's options once `prepareForMatchmaking` ran. */
export const MATCHMAKING_FILTERS = ['sessionId', 'code', QUICK_PLAY_FILTER] as const;

/** The maze quick play looks for when the client names none: QUICK_PLAY_SIZE and QUICK_PLAY_FOG. */
export type QuickPlayDefaults = { size: number; fog: FogMode };

export function quickPlayDefaults(settings: Config['room']): QuickPlayDefaults {
  return { size: settings.quickPlaySize, fog: settings.quickPlayFog };
}

/** A join, by its form: a named session, a private session's code, or quick play. */
export type JoinForm =
  | { form: 'session'; options: z.output<typeof sessionJoinOptions> }
  | { form: 'code'; options: z.output<typeof codeJoinOptions> }
  | { form: 'quickPlay'; options: z.output<typeof quickPlayOptions>; size: number; fog: FogMode };

/** The value quick-play joins and the rooms open to them share: a maze size and a fog mode. */
export function quickPlayKey(size: number, fog: FogMode): string {
  return `${size}/${fog}`;
}

/** Which form a join's options take (refusing what fits none with 400, naming the option). */
export function parseJoinForm(options: unknown, defaults: QuickPlayDefaults): JoinForm {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw invalidOptions('options must be an object');
  // Our own values, set by prepareForMatchmaking: not the client's to choose.
  const { [QUICK_PLAY_FILTER]: _filter, [SIGNED_IN_OPTION]: _signedIn, ...given } = options as Record<string, unknown>;
  if ('sessionId' in given && 'code' in given) throw invalidOptions('give sessionId or code, not both');
  if ('sessionId' in given) return { form: 'session', options: parseOptions(sessionJoinOptions, given) };
  if ('code' in given) return { form: 'code', options: parseOptions(codeJoinOptions, given) };
  const quick = parseOptions(quickPlayOptions, given);
  return { form: 'quickPlay', options: quick, size: quick.size ?? defaults.size, fog: quick.fog ?? defaults.fog };
}

/**
 * Runs before the matchmaker looks for a room (the room type's static onAuth): options that fit no
 * join form are refused here, so a refused join never reaches, let alone disturbs, a room. Without
 * a sessionId or code the matchmaker would filter by nothing and hand the join to any room; a quick
 * play join gets its filter value instead (which also keys Colyseus's create lock: concurrent quick
 * plays for one maze kind wait for one new room rather than each making one).
 */
export function prepareForMatchmaking(options: Record<string, unknown>, defaults: QuickPlayDefaults): JoinForm {
  // Only a verified token may put a player here (the caller does, once it has verified one).
  delete options[SIGNED_IN_OPTION];
  const join = parseJoinForm(options, defaults);
  if (join.form === 'quickPlay') options[QUICK_PLAY_FILTER] = quickPlayKey(join.size, join.fog);
  // Rooms list their code in capitals: a code typed in lower case finds its room too.
  if (join.form === 'code') options.code = join.options.code;
  return join;
}

/**
 * The player a token signed in for this join, as the static onAuth recorded it. Every join a client
 * asks for runs that onAuth first, which drops whatever the client itself sent under this name.
 */
export function signedInJoin(options: unknown): SignedInJoin | undefined {
  const signedIn = (options as { [SIGNED_IN_OPTION]?: SignedInJoin } | null)?.[SIGNED_IN_OPTION];
  return typeof signedIn?.clientId === 'string' ? signedIn : undefined;
}

/** Who a join seats or lets watch: the signed-in player, or the guest's clientId. */
export function joinerId(options: unknown): string | undefined {
  const clientId = (options as { clientId?: unknown } | null)?.clientId;
  return signedInJoin(options)?.clientId ?? (typeof clientId === 'string' ? clientId : undefined);
}
