import { z } from 'zod';
import { MAX_MAZE_SIZE, MIN_MAZE_SIZE } from '../../maze/generateMaze.ts';

/**
 * Maze size as clients send it: a JSON number, or a digit string for clients written against the
 * old FastAPI server, which coerced "8" to 8. Anything else ("abc", 4.5, 1e9) is refused.
 */
export const mazeSize = z
  .preprocess(
    (value) => (typeof value === 'string' && /^\s*\d{1,3}\s*$/.test(value) ? Number(value) : value),
    z
      .number({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be an integer') })
      .int('must be an integer')
      .min(MIN_MAZE_SIZE, `must be at least ${MIN_MAZE_SIZE}`)
      .max(MAX_MAZE_SIZE, `must be at most ${MAX_MAZE_SIZE}`),
  )
  .meta({ description: 'Side length. A digit string ("8") is accepted too, as the FastAPI server did.' });

/** A seed is any non-empty text up to 128 characters; sharing a maze by its seed is a feature. */
export const mazeSeed = z.string().trim().min(1, 'must not be empty').max(128, 'must be at most 128 characters');

/** Body of every "make me a maze" request, new API and old. */
export const mazeRequest = z.object({
  size: mazeSize,
  seed: mazeSeed.nullish().transform((seed) => seed ?? undefined),
});
