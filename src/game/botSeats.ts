/**
 * Bots are seats the room plays itself. They are told apart by their clientId alone, in a namespace
 * real clients may not claim (ClientIdentityService refuses it), so a seat row needs no flag of its
 * own and a room rebuilt from the database knows its bots again.
 */
export const BOT_CLIENT_ID_PREFIX = 'bot-';

/** The most bots a session of `maxPlayers` seats may be created with: a seat always stays for a person. */
export function maxBotsFor(maxPlayers: number): number {
  return maxPlayers - 1;
}

/** The `number`-th bot of a session (1, 2, …): its clientId and display name. */
export function botSeat(number: number): { clientId: string; name: string } {
  return { clientId: `${BOT_CLIENT_ID_PREFIX}${number}`, name: `Bot ${number}` };
}

export function isBot(clientId: string): boolean {
  return clientId.startsWith(BOT_CLIENT_ID_PREFIX);
}

/** A bot's number (`bot-3` → 3), as its name says it; undefined for anyone else. */
export function botNumber(clientId: string): number | undefined {
  return isBot(clientId) ? Number(clientId.slice(BOT_CLIENT_ID_PREFIX.length)) : undefined;
}
