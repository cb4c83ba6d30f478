import type { Phase } from './phase.ts';

/**
 * A maze's seed gives the whole maze away (exit included), and so does its full tile list: both are
 * secret until the round on it is finished, then published (share the seed to replay the maze).
 * Admins see them at any time; previews are not sessions and are always public.
 */
export function mazeIsPublished(phase: Phase): boolean {
  return phase === 'finished';
}
