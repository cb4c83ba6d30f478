import { Migration } from '@mikro-orm/migrations';

/** Gameplay: a session's phase, round and result; each player's character. */
export class Migration20261121020000Gameplay extends Migration {
  override name = 'Migration20261121020000Gameplay';

  override up(): void {
    this.addSql(
      `alter table "game_session" add column "phase" varchar(16) not null default 'lobby', add column "round" int not null default 1, add column "started_at" timestamptz null, add column "finished_at" timestamptz null, add column "winner_client_id" varchar(128) null, add column "winner_name" varchar(64) null;`,
    );
    this.addSql(`alter table "player" add column "character_id" varchar(64) null;`);
    this.addSql(`alter table "player" add constraint "player_session_id_character_id_unique" unique ("session_id", "character_id");`);
    this.addSql(
      `alter table "player" add constraint "player_character_id_foreign" foreign key ("character_id") references "entity" ("id") on delete set null;`,
    );
  }

  override down(): void {
    this.addSql(`alter table "player" drop constraint "player_character_id_foreign";`);
    this.addSql(`alter table "player" drop constraint "player_session_id_character_id_unique";`);
    this.addSql(`alter table "player" drop column "character_id";`);
    this.addSql(
      `alter table "game_session" drop column "phase", drop column "round", drop column "started_at", drop column "finished_at", drop column "winner_client_id", drop column "winner_name";`,
    );
  }
}
