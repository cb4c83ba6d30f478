import type { Removal } from '../src/game/roundFacts.ts';

/**
 * The presence channel on which a ban reaches every labyrinth room, in every process (presence is
 * in-process, or Redis when scaled out): each room closes the banned identity's connections, a
 * spectator's included, and frees its seat if it holds one.
 */
export const BANNED_CHANNEL = 'labyrinth:banned';

export type BannedMessage = { clientId: string; removal: Removal };
