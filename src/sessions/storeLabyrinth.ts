import type { EntityManager } from '@mikro-orm/core';
import { Labyrinth, Tile } from '../database/entities/index.ts';
import type { Maze } from '../maze/generateMaze.ts';

/** Writes a labyrinth row, then all its tiles in one bulk insert (see bench/sessionCreation.bench.ts). */
export async function storeLabyrinth(em: EntityManager, id: string, maze: Maze): Promise<Labyrinth> {
  const labyrinth = em.create(Labyrinth, {
    id,
    size: maze.size,
    seed: maze.seed,
    startX: maze.startX,
    startY: maze.startY,
    exitX: maze.exit.x,
    exitY: maze.exit.y,
  });
  await em.flush();
  await em.insertMany(
    Tile,
    maze.tiles.map((tile) => ({
      labyrinth: labyrinth.id,
      x: tile.x,
      y: tile.y,
      type: tile.type,
      openDirections: tile.openDirections,
      revealed: false,
    })),
  );
  return labyrinth;
}
