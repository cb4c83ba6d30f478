import { Migration } from '@mikro-orm/migrations';

/** Identities an admin banned (PlayerBan): one row per identity, kept when the ban is lifted. */
export class Migration20261210000000PlayerBans extends Migration {
  override name = 'Migration20261210000000PlayerBans';

  override up(): void {
    this.addSql(
      `create table "player_ban" ("client_id" varchar(128) not null, "reason" varchar(200) null, "banned_by" varchar(128) not null, "banned_at" timestamptz not null, "lifted_by" varchar(128) null, "lifted_at" timestamptz null, primary key ("client_id"));`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "player_ban";`);
  }
}
