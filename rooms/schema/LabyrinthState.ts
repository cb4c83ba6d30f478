import { schema, t, type SchemaType } from '@colyseus/schema';

/** One seat in the session, keyed by `clientId` in `LabyrinthState.players`. */
export const PlayerState = schema(
  {
    clientId: t.string(),
    name: t.string(),
    ready: t.boolean(),
    /** False while the player's socket is gone: during a reconnection window, or a seat taken over HTTP. */
    connected: t.boolean(),
    x: t.uint8(),
    y: t.uint8(),
  },
  'PlayerState',
);
export type PlayerState = SchemaType<typeof PlayerState>;

/**
 * What every client of a session sees. The maze tiles are not here: clients fetch them once from
 * `GET /api/sessions/:id/labyrinth` (a 64×64 maze is 4 096 tiles that never change).
 */
export const LabyrinthState = schema(
  {
    sessionId: t.string(),
    labyrinthId: t.string(),
    seed: t.string(),
    size: t.uint8(),
    startX: t.uint8(),
    startY: t.uint8(),
    /** Only "lobby" for now; gameplay adds more phases. */
    phase: t.string(),
    players: t.map(PlayerState),
    /** True only when at least one player is seated and every player is ready. */
    allReady: t.boolean(),
  },
  'LabyrinthState',
);
export type LabyrinthState = SchemaType<typeof LabyrinthState>;
