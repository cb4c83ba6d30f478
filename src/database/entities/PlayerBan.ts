import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * An identity an admin banned (a guest's clientId or a signed-in player's `sub:` id): refused at
 * every join, room or HTTP, while `liftedAt` is null. Lifting keeps the row, so it still says who
 * banned whom, when and why, and who lifted it; banning the identity again starts a new ban in it.
 */
export const PlayerBan = defineEntity({
  name: 'PlayerBan',
  tableName: 'player_ban',
  properties: {
    clientId: p.string().length(128).primary(),
    reason: p.string().length(200).nullable(),
    /** `admin` (the admin password) or the id of the signed-in admin who banned. */
    bannedBy: p.string().length(128),
    bannedAt: p.datetime(),
    liftedBy: p.string().length(128).nullable(),
    liftedAt: p.datetime().nullable(),
  },
});
export type PlayerBan = InferEntity<typeof PlayerBan>;
