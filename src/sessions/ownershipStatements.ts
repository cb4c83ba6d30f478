import type { SqlEntityManager as EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { NotFoundError } from '../domainErrors.ts';
import { SessionMovedError } from './SessionMovedError.ts';

// The statements of session ownership (see src/ownership/SessionOwnership.ts). Every time is the database's
// (`now()`: the start of the statement's transaction, never later than the real time, so a lease
// read with it looks valid a little longer, and one written with it ends a little sooner: both
// err on the side of one owner). SQL that PostgreSQL 15 and PGlite (18) both accept.

/** Who owns a session: the room's fencing token (`epoch`) and its process. */
export type SessionOwner = { epoch: number; processId: string };

/** How a claim found the session: nobody's, released by its owner, handed over on request, its owner's lease run out, or this process's own. */
export type ClaimedFrom = 'nobody' | 'released' | 'handed_over' | 'expired' | 'own';

export type ClaimResult = { claimed: true; epoch: number; from: ClaimedFrom; previousOwner: string | null } | { claimed: false; owner: string };

type OwnerRow = { owner_epoch: number; owner_process: string | null; handover_requested_at: Date | null };

/**
 * Takes a session for a room of `processId` (its epoch + 1, which fences every older room's
 * writes), unless another process owns it with a lease still running, or (`retakeOwn` false) a room
 * of this process does. The session row is locked first, as every write of a session is
 * (roundStatements.lockSessions), so a claim and an old owner's flush never interleave; the owner's
 * process row is read `for share`, so a renewal of that lease waits for the claim and then sees it.
 * When the session is not free and `requestHandover` is set, it is marked as wanted: an owner cut
 * off from the cluster hands it over (SessionOwnership).
 */
export async function claimSession(
  em: EntityManager,
  sessionId: string,
  processId: string,
  options: { retakeOwn: boolean; requestHandover: boolean },
): Promise<ClaimResult> {
  return em.transactional(async (tx) => {
    const db = tx.getKysely();
    // A paused owner may hold the row in a flush it cannot finish: wait a little, then try again later.
    await sql`set local lock_timeout = '1s'`.execute(db);
    const { rows } = await sql<OwnerRow>`
      select "owner_epoch", "owner_process", "handover_requested_at" from "game_session" where "id" = ${sessionId} for update`.execute(db);
    const row = rows[0];
    if (!row) throw new NotFoundError('session_not_found', `Session ${sessionId} not found`);
    const from = await claimableFrom(tx, row, processId, options.retakeOwn);
    if (from === undefined) {
      if (options.requestHandover) await sql`update "game_session" set "handover_requested_at" = now() where "id" = ${sessionId}`.execute(db);
      return { claimed: false, owner: row.owner_process! };
    }
    const { rows: claimed } = await sql<{ owner_epoch: number }>`
      update "game_session" set "owner_epoch" = "owner_epoch" + 1, "owner_process" = ${processId}, "handover_requested_at" = null
      where "id" = ${sessionId} returning "owner_epoch"`.execute(db);
    return { claimed: true, epoch: claimed[0]!.owner_epoch, from, previousOwner: row.owner_process };
  });
}

/** Whether the session may be taken, and from what; undefined while its owner holds it. */
async function claimableFrom(em: EntityManager, row: OwnerRow, processId: string, retakeOwn: boolean): Promise<ClaimedFrom | undefined> {
  if (row.owner_process === null) {
    if (row.owner_epoch === 0) return 'nobody';
    return row.handover_requested_at ? 'handed_over' : 'released';
  }
  if (row.owner_process === processId) return retakeOwn ? 'own' : undefined;
  const { rows } = await sql<{ live: boolean }>`
    select "lease_until" > now() as "live" from "server_process" where "id" = ${row.owner_process} for share`.execute(em.getKysely());
  // No row: the process shut down (and said so), or its row was cleared long after its lease ended.
  return rows[0]?.live ? undefined : 'expired';
}

/** What a renewal learns of a session this process holds. */
export type HeldSessionState = { sessionId: string; epoch: number; owner: string | null; handoverRequested: boolean };

/**
 * Renews this process's lease (creating its row on the first renewal) and reads the sessions it
 * holds, in one transaction: a claim that read the old lease (`for share`) has committed by the
 * time the renewal's write gets the row, so the read that follows sees what it took.
 */
export async function renewLease(
  em: EntityManager,
  process: { id: string; address: string; leaseMs: number },
  heldSessionIds: string[],
  /** A handover asked for longer ago than this is stale: whoever asked has given up. */
  handoverWantedForMs: number,
): Promise<HeldSessionState[]> {
  return em.transactional(async (tx) => {
    const db = tx.getKysely();
    await sql`
      insert into "server_process" ("id", "address", "started_at", "lease_until")
      values (${process.id}, ${process.address}, now(), now() + ${process.leaseMs} * interval '1 millisecond')
      on conflict ("id") do update set "lease_until" = excluded."lease_until"`.execute(db);
    if (heldSessionIds.length === 0) return [];
    const { rows } = await sql<{ id: string; owner_epoch: number; owner_process: string | null; handover: boolean }>`
      select "id", "owner_epoch", "owner_process",
        coalesce("handover_requested_at" > now() - ${handoverWantedForMs} * interval '1 millisecond', false) as "handover"
      from "game_session" where "id" = any(${heldSessionIds}::uuid[])`.execute(db);
    return rows.map((row) => ({ sessionId: row.id, epoch: row.owner_epoch, owner: row.owner_process, handoverRequested: row.handover }));
  });
}

/**
 * Gives a session up (a room disposed, shut down or handing over): any process may claim it at once.
 * A handover keeps the request on the row, so the claim that follows counts as one.
 */
export async function releaseSession(em: EntityManager, sessionId: string, owner: SessionOwner, handedOver: boolean): Promise<void> {
  await sql`
    update "game_session"
    set "owner_process" = null, "handover_requested_at" = case when ${handedOver} then "handover_requested_at" end
    where "id" = ${sessionId} and "owner_epoch" = ${owner.epoch} and "owner_process" = ${owner.processId}`.execute(em.getKysely());
}

/** This process is gone (a clean shutdown): what it still owns may be claimed at once. */
export async function endLease(em: EntityManager, processId: string): Promise<void> {
  await sql`delete from "server_process" where "id" = ${processId}`.execute(em.getKysely());
}

/** Forgets processes whose lease ended long ago (their sessions were claimable since; a missing row reads the same). */
export async function forgetEndedLeases(em: EntityManager): Promise<void> {
  await sql`delete from "server_process" where "lease_until" < now() - interval '1 day'`.execute(em.getKysely());
}

/**
 * Locks the session row for a write outside a flush (seating a client), and checks that `owner`
 * still owns it: throws `SessionMovedError` otherwise. `for share` lets seat writes of one session
 * run side by side, and makes a claim (`for update`) wait for them.
 */
export async function lockAsOwner(em: EntityManager, sessionId: string, owner: SessionOwner): Promise<void> {
  const { rows } = await sql<{ owner_epoch: number; owner_process: string | null }>`
    select "owner_epoch", "owner_process" from "game_session" where "id" = ${sessionId} for share`.execute(em.getKysely());
  const row = rows[0];
  if (!row) throw new NotFoundError('session_not_found', `Session ${sessionId} not found`);
  if (row.owner_epoch !== owner.epoch || row.owner_process !== owner.processId) throw new SessionMovedError(sessionId);
}
