import { Migration } from '@mikro-orm/migrations';

/** Who owns a session (src/ownership/SessionOwnership.ts): each process's lease, and each session's owner and fencing epoch. */
export class Migration20261206000000SessionOwnership extends Migration {
  override name = 'Migration20261206000000SessionOwnership';

  override up(): void {
    this.addSql(
      `create table "server_process" ("id" varchar(64) not null, "address" varchar(255) not null, "started_at" timestamptz not null, "lease_until" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "game_session" add column "owner_epoch" int not null default 0, add column "owner_process" varchar(64) null, add column "handover_requested_at" timestamptz null;`,
    );
  }

  override down(): void {
    this.addSql(`alter table "game_session" drop column "owner_epoch", drop column "owner_process", drop column "handover_requested_at";`);
    this.addSql(`drop table "server_process";`);
  }
}
