import { isBot } from './botSeats.ts';

/** Who is seated and ready: the old API's status payload, computed the same way everywhere. */
export type Readiness = { players: { clientId: string; ready: boolean }[]; allReady: boolean };

/**
 * True only when every seated player is ready and at least one of them is a person: bots are always
 * ready, so a session of bots alone never starts.
 */
export function allPlayersReady(players: Iterable<{ clientId: string; ready: boolean }>): boolean {
  let people = 0;
  for (const player of players) {
    if (!player.ready) return false;
    if (!isBot(player.clientId)) people++;
  }
  return people > 0;
}
