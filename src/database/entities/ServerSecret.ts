import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A key the server generated for itself, stored so that every process and restart shares it. */
export const ServerSecret = defineEntity({
  name: 'ServerSecret',
  tableName: 'server_secret',
  properties: {
    name: p.string().length(64).primary(),
    value: p.string().length(128),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ServerSecret = InferEntity<typeof ServerSecret>;
