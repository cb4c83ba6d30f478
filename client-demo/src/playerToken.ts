import { botNumber } from '../../src/game/botSeats.ts';

/** How a player shows on the boards and in the player list: a bot by its number, a person by its initial. */
export function playerToken(clientId: string, name: string): { label: string; bot: boolean } {
  const number = botNumber(clientId);
  return number === undefined ? { label: name.slice(0, 1).toUpperCase(), bot: false } : { label: String(number), bot: true };
}
