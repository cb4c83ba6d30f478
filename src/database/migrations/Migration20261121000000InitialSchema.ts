import { Migration } from '@mikro-orm/migrations';

/** The reference data model: labyrinths and tiles, sessions with players and clients, game content. */
export class Migration20261121000000InitialSchema extends Migration {
  override name = 'Migration20261121000000InitialSchema';

  override up(): void {
    this.addSql(
      `create table "entity" ("id" varchar(64) not null, "name" varchar(128) not null, "type" text not null, "age" varchar(64) null, "role" varchar(128) null, "backstory_path" varchar(255) null, "portrait_path" varchar(255) null, primary key ("id"));`,
    );
    this.addSql(`alter table "entity" add constraint "entity_type_check" check ("type" in ('player', 'enemy', 'npc'));`);
    this.addSql(
      `create table "equipment" ("id" varchar(64) not null, "entity_id" varchar(64) not null, "name" varchar(128) not null, "description" text not null, primary key ("id"));`,
    );
    this.addSql(`create index "equipment_entity_id_index" on "equipment" ("entity_id");`);
    this.addSql(
      `create table "labyrinth" ("id" uuid not null, "size" smallint not null, "seed" varchar(128) not null, "start_x" smallint not null, "start_y" smallint not null, "exit_x" smallint not null, "exit_y" smallint not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create table "game_session" ("id" uuid not null, "labyrinth_id" uuid not null, "seed" varchar(128) not null, "size" smallint not null, "start_x" smallint not null, "start_y" smallint not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "game_session_labyrinth_id_index" on "game_session" ("labyrinth_id");`);
    this.addSql(`create index "game_session_created_at_index" on "game_session" ("created_at");`);
    this.addSql(
      `create table "mobile_client" ("id" bigserial primary key, "client_id" varchar(128) not null, "connected_at" timestamptz not null, "session_id" uuid not null);`,
    );
    this.addSql(`alter table "mobile_client" add constraint "mobile_client_client_id_unique" unique ("client_id");`);
    this.addSql(`create index "mobile_client_session_id_index" on "mobile_client" ("session_id");`);
    this.addSql(
      `create table "player" ("id" bigserial primary key, "session_id" uuid not null, "client_id" varchar(128) not null, "username" varchar(64) null, "player_x" smallint not null, "player_y" smallint not null, "ready" boolean not null default false, "joined_at" timestamptz not null);`,
    );
    this.addSql(`alter table "player" add constraint "player_session_id_client_id_unique" unique ("session_id", "client_id");`);
    this.addSql(
      `create table "skill" ("id" varchar(64) not null, "entity_id" varchar(64) not null, "name" varchar(128) not null, "description" text not null, primary key ("id"));`,
    );
    this.addSql(`create index "skill_entity_id_index" on "skill" ("entity_id");`);
    this.addSql(`create table "special" ("id" varchar(64) not null, "entity_id" varchar(64) not null, "description" text not null, primary key ("id"));`);
    this.addSql(`create index "special_entity_id_index" on "special" ("entity_id");`);
    this.addSql(
      `create table "tile" ("id" bigserial primary key, "labyrinth_id" uuid not null, "x" smallint not null, "y" smallint not null, "type" varchar(16) not null, "open_directions" text[] not null, "revealed" boolean not null default false);`,
    );
    this.addSql(`alter table "tile" add constraint "tile_labyrinth_id_x_y_unique" unique ("labyrinth_id", "x", "y");`);
    this.addSql(`alter table "equipment" add constraint "equipment_entity_id_foreign" foreign key ("entity_id") references "entity" ("id") on delete cascade;`);
    this.addSql(
      `alter table "game_session" add constraint "game_session_labyrinth_id_foreign" foreign key ("labyrinth_id") references "labyrinth" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "mobile_client" add constraint "mobile_client_session_id_foreign" foreign key ("session_id") references "game_session" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "player" add constraint "player_session_id_foreign" foreign key ("session_id") references "game_session" ("id") on delete cascade;`,
    );
    this.addSql(`alter table "skill" add constraint "skill_entity_id_foreign" foreign key ("entity_id") references "entity" ("id") on delete cascade;`);
    this.addSql(`alter table "special" add constraint "special_entity_id_foreign" foreign key ("entity_id") references "entity" ("id") on delete cascade;`);
    this.addSql(`alter table "tile" add constraint "tile_labyrinth_id_foreign" foreign key ("labyrinth_id") references "labyrinth" ("id") on delete cascade;`);
  }

  override down(): void {
    for (const table of ['tile', 'mobile_client', 'player', 'game_session', 'labyrinth', 'special', 'skill', 'equipment', 'entity']) {
      this.addSql(`drop table if exists "${table}" cascade;`);
    }
  }
}
