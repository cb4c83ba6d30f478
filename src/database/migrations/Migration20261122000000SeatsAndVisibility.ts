import { Migration } from '@mikro-orm/migrations';

/** Matchmaking: each session's seat cap, whether it is listed, and a private session's join code. */
export class Migration20261122000000SeatsAndVisibility extends Migration {
  override name = 'Migration20261122000000SeatsAndVisibility';

  override up(): void {
    this.addSql(
      `alter table "game_session" add column "max_players" smallint not null default 8, add column "visibility" varchar(8) not null default 'public', add column "code" varchar(8) null;`,
    );
    this.addSql(`alter table "game_session" add constraint "game_session_code_unique" unique ("code");`);
  }

  override down(): void {
    this.addSql(`alter table "game_session" drop constraint "game_session_code_unique";`);
    this.addSql(`alter table "game_session" drop column "max_players", drop column "visibility", drop column "code";`);
  }
}
