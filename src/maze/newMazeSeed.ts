import { randomBytes } from 'node:crypto';

/**
 * A fresh seed for {@link generateMaze}: 32 lowercase hex characters (128 random bits).
 * Kept apart from the generator because it is the only part that draws real entropy.
 */
export function newMazeSeed(): string {
  return randomBytes(16).toString('hex');
}
