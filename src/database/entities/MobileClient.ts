import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { GameSession } from './GameSession.ts';

/**
 * A client device's connection to a session. `clientId` is unique: a client sits in at most one
 * session at a time, and the database enforces it even across server processes.
 */
export const MobileClient = defineEntity({
  name: 'MobileClient',
  tableName: 'mobile_client',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    clientId: p.string().length(128).unique(),
    connectedAt: p.datetime().onCreate(() => new Date()),
    session: () => p.manyToOne(GameSession).deleteRule('cascade').index(),
  },
});
export type MobileClient = InferEntity<typeof MobileClient>;
