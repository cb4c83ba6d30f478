// Upstream workaround (see docs/architecture.md#upstream-workarounds).
// Package: kysely 0.29.6 (under @mikro-orm/postgresql 7.2.1), `ControlledTransaction.commit/rollback`.
// Behaviour: a transaction's connection goes back to the pg pool only when its commit or rollback
// succeeds; one cut by an outage stays checked out for good.
// Upstream issue: kysely-org/kysely#1990 "ControlledTransaction leaks the pooled connection when
// beginTransaction, commitTransaction or rollbackTransaction throws" (open).
// Obsolescence test: tests/upstream/kyselyTransactions.test.ts fails once upstream no longer behaves so; then this file may go.
import type { Pool, PoolClient } from 'pg';
import type { Logger } from '../logger.ts';

/** How long the holder of a connection that died has to release it before the pool takes it back. */
const GRACE_MS = 1000;

/**
 * Takes back (as broken, so the pool discards it) a connection that died while checked out and
 * that its holder never released.
 *
 * Why: Kysely, under MikroORM, releases a transaction's connection only once its commit or rollback
 * succeeds. When the database goes away in the middle of a transaction (an outage, a restart, the
 * network cut) the rollback fails too, and the connection stays checked out for good: each such
 * transaction costs the pool one of its connections, so after `max` of them every query waits for
 * ever, the server never recovers when the database comes back, and the pool can never end.
 * A holder that is still working with a connection releases it within a turn of the loop once its
 * query fails; the grace period only catches the ones that never will.
 */
export function releaseDeadConnections(pool: Pool, logger: Logger): void {
  const checkedOut = new Set<PoolClient>();
  pool.on('acquire', (client) => checkedOut.add(client));
  pool.on('release', (_error, client) => checkedOut.delete(client));
  pool.on('connect', (client) => {
    client.once('end', () => {
      setTimeout(() => {
        if (!checkedOut.delete(client)) return;
        logger.warn('took back a database connection that was lost while checked out (a transaction cut by the outage)');
        client.release(new Error('connection lost while checked out'));
      }, GRACE_MS).unref();
    });
  });
}
