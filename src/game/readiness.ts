/** Who is seated and ready: the old API's status payload, computed the same way everywhere. */
export type Readiness = { players: { clientId: string; ready: boolean }[]; allReady: boolean };

/** True only when at least one player is seated and every seated player is ready. */
export function allPlayersReady(players: Iterable<{ ready: boolean }>): boolean {
  let count = 0;
  for (const player of players) {
    if (!player.ready) return false;
    count++;
  }
  return count > 0;
}
