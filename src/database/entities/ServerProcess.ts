import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * A server process that may own sessions (see src/ownership/SessionOwnership.ts): its lease, which it
 * renews while it runs. A session owned by a process whose lease has run out (or whose row is gone)
 * may be taken over by another. Times are the database's clock, never a process's.
 */
export const ServerProcess = defineEntity({
  name: 'ServerProcess',
  tableName: 'server_process',
  properties: {
    /** Colyseus's processId (random per start). */
    id: p.string().length(64).primary(),
    /** Where its rooms are reached (PUBLIC_ADDRESS), or its hostname: for operators reading the table. */
    address: p.string().length(255),
    startedAt: p.datetime().onCreate(() => new Date()),
    leaseUntil: p.datetime(),
  },
});
export type ServerProcess = InferEntity<typeof ServerProcess>;
