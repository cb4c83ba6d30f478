import { Migration } from '@mikro-orm/migrations';

/** Each session's audit trail of accepted actions, and how a session shares what players see. */
export class Migration20261121030000AuditTrailAndFog extends Migration {
  override name = 'Migration20261121030000AuditTrailAndFog';

  override up(): void {
    this.addSql(
      `create table "session_event" ("session_id" uuid not null, "seq" int not null, "at" timestamptz not null, "actor" varchar(128) null, "type" varchar(32) not null, "data" jsonb not null, primary key ("session_id", "seq"));`,
    );
    this.addSql(
      `alter table "session_event" add constraint "session_event_session_id_foreign" foreign key ("session_id") references "game_session" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "game_session" add column "fog" varchar(8) not null default 'team', add column "spectator_view" varchar(16) not null default 'everything';`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "session_event";`);
    this.addSql(`alter table "game_session" drop column "fog", drop column "spectator_view";`);
  }
}
