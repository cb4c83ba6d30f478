import type { SqlEntityManager as EntityManager } from '@mikro-orm/postgresql';
import { sql, type RawBuilder } from 'kysely';
import type { Maze } from '../maze/generateMaze.ts';

/**
 * Writes a labyrinth row and all its tiles in one statement (the tiles passed as arrays and
 * expanded with `unnest`), and, when `session` is given, the session that plays it with its bots'
 * seats (ready, on the start cell; a bot is a seat, not a client: no `mobile_client` row): one round
 * trip however large the maze. See bench/sessionCreation.bench.ts for what it saves.
 */
export async function storeLabyrinth(
  em: EntityManager,
  labyrinthId: string,
  maze: Maze,
  session?: {
    id: string;
    createdAt: Date;
    fog: string;
    spectatorView: string;
    maxPlayers: number;
    visibility: string;
    code: string | null;
    bots: { clientId: string; name: string }[];
  },
): Promise<void> {
  const createdAt = session?.createdAt ?? new Date();
  const tiles = maze.tiles;
  const labyrinthAndTiles = sql`
    with new_labyrinth as (
      insert into "labyrinth" ("id", "size", "seed", "start_x", "start_y", "exit_x", "exit_y", "created_at")
      values (${labyrinthId}, ${maze.size}, ${maze.seed}, ${maze.startX}, ${maze.startY}, ${maze.exit.x}, ${maze.exit.y}, ${createdAt})
      returning "id"
    ), new_tiles as (
      insert into "tile" ("labyrinth_id", "x", "y", "type", "open_directions", "revealed")
      select l."id", t.x, t.y, t.type, string_to_array(t.open_directions, ','), false
      from new_labyrinth as l, unnest(
        ${tiles.map((tile) => tile.x)}::smallint[],
        ${tiles.map((tile) => tile.y)}::smallint[],
        ${tiles.map((tile) => tile.type)}::varchar[],
        ${tiles.map((tile) => tile.openDirections.join(','))}::text[]
      ) as t(x, y, type, open_directions)
    )`;
  const last: RawBuilder<unknown> = session
    ? sql`, new_session as (
        insert into "game_session" ("id", "labyrinth_id", "seed", "size", "start_x", "start_y", "fog", "spectator_view", "max_players", "visibility", "code", "created_at")
        select ${session.id}, l."id", ${maze.seed}, ${maze.size}, ${maze.startX}, ${maze.startY}, ${session.fog}, ${session.spectatorView},
          ${session.maxPlayers}, ${session.visibility}, ${session.code}, ${createdAt}
        from new_labyrinth as l
        returning "id"
      )
      insert into "player" ("session_id", "client_id", "username", "player_x", "player_y", "ready", "joined_at")
      select s."id", b.client_id, b.name, ${maze.startX}, ${maze.startY}, true, ${createdAt}
      from new_session as s, unnest(${session.bots.map((bot) => bot.clientId)}::varchar[], ${session.bots.map((bot) => bot.name)}::varchar[]) with ordinality as b(client_id, name, n)
      order by b.n`
    : sql`select "id" from new_labyrinth`;
  await sql`${labyrinthAndTiles} ${last}`.execute(em.getKysely());
}
