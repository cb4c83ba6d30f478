import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { GameSession } from './GameSession.ts';

/**
 * The session a client is seated in: the other half of its seat, beside the `Player` row that holds
 * the seat's game (name, position, readiness). `clientId` is unique: a client sits in at most one
 * session at a time, and the database enforces it even across server processes. The table keeps
 * the reference data model's name, `mobile_client`.
 */
export const ClientSeat = defineEntity({
  name: 'ClientSeat',
  tableName: 'mobile_client',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    clientId: p.string().length(128).unique(),
    connectedAt: p.datetime().onCreate(() => new Date()),
    session: () => p.manyToOne(GameSession).deleteRule('cascade').index(),
  },
});
export type ClientSeat = InferEntity<typeof ClientSeat>;
