import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * A clientId that has been claimed. Its first user received a clientToken; from then on every
 * join or HTTP call for this clientId must present that token (unless CLIENT_AUTH=trust).
 */
export const ClientIdentity = defineEntity({
  name: 'ClientIdentity',
  tableName: 'client_identity',
  properties: {
    clientId: p.string().length(128).primary(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ClientIdentity = InferEntity<typeof ClientIdentity>;
