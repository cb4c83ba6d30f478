import type { Database } from '../database/openDatabase.ts';
import { PlayerBan } from '../database/entities/index.ts';
import { ForbiddenError } from '../domainErrors.ts';

/** A ban as admins list it. */
export type Ban = { clientId: string; reason: string | null; bannedBy: string; bannedAt: Date };

/**
 * The identities admins banned, in the database, so every process refuses them: their joins (room
 * sockets and the old API) and every HTTP call made with their token. Who banned and who lifted a
 * ban are kept with it (PlayerBan).
 */
export class Bans {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  /** Refuses a banned identity with 403 `banned`, naming the reason an admin gave. */
  async refuseBanned(clientId: string): Promise<void> {
    const ban = await this.#database.em.fork().findOne(PlayerBan, { clientId, liftedAt: null }, { fields: ['reason'] });
    if (!ban) return;
    const why = ban.reason ? `: ${ban.reason}` : '';
    throw new ForbiddenError('banned', `${clientId} is banned from this server${why}`, 'clientId');
  }

  /**
   * Bans an identity; `created` is false when it already was (the ban in force is kept as it is).
   * One statement, so two admins banning at once agree on one ban.
   */
  async ban(clientId: string, by: string, reason: string | null): Promise<{ ban: Ban; created: boolean }> {
    const em = this.#database.em.fork();
    const inserted = await em.getConnection().execute<unknown[]>(
      `insert into "player_ban" ("client_id", "reason", "banned_by", "banned_at", "lifted_by", "lifted_at") values (?, ?, ?, ?, null, null)
       on conflict ("client_id") do update set "reason" = excluded."reason", "banned_by" = excluded."banned_by", "banned_at" = excluded."banned_at", "lifted_by" = null, "lifted_at" = null
       where "player_ban"."lifted_at" is not null
       returning "client_id"`,
      [clientId, reason, by, new Date()],
    );
    const ban = await em.findOneOrFail(PlayerBan, { clientId });
    return { ban: toBan(ban), created: inserted.length > 0 };
  }

  /** Lifts the ban in force; false when there was none. */
  async lift(clientId: string, by: string): Promise<boolean> {
    const lifted = await this.#database.em.fork().nativeUpdate(PlayerBan, { clientId, liftedAt: null }, { liftedBy: by, liftedAt: new Date() });
    return lifted > 0;
  }

  /** The bans in force, newest first. */
  async list(page: { limit: number; offset: number }): Promise<{ bans: Ban[]; total: number; limit: number; offset: number }> {
    const [bans, total] = await this.#database.em
      .fork()
      .findAndCount(PlayerBan, { liftedAt: null }, { orderBy: { bannedAt: 'desc', clientId: 'asc' }, limit: page.limit, offset: page.offset });
    return { bans: bans.map(toBan), total, ...page };
  }
}

function toBan(ban: PlayerBan): Ban {
  return { clientId: ban.clientId, reason: ban.reason ?? null, bannedBy: ban.bannedBy, bannedAt: ban.bannedAt };
}
