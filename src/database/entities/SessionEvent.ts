import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { GameSession } from './GameSession.ts';

/**
 * One accepted action of a session's audit trail (join, ready, move, chat, a round's start and
 * end, ...), numbered in order. Written in the same batches as the rest of a round's changes; a
 * finished round can be replayed from its events alone (until EVENT_RETENTION_DAYS reduce it to its
 * result: AuditTrailRetention, which finds old events by the index on `at`).
 */
export const SessionEvent = defineEntity({
  name: 'SessionEvent',
  tableName: 'session_event',
  indexes: [{ properties: ['at'] }],
  properties: {
    session: () => p.manyToOne(GameSession).primary().deleteRule('cascade'),
    /** 1, 2, 3, … within the session. */
    seq: p.integer().primary(),
    at: p.datetime(),
    /** The clientId who acted; null for what the server does on its own (a countdown ending). */
    actor: p.string().length(128).nullable(),
    type: p.string().length(32),
    data: p.json<Record<string, unknown>>(),
  },
});
export type SessionEvent = InferEntity<typeof SessionEvent>;
