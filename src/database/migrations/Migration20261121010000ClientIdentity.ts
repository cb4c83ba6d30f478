import { Migration } from '@mikro-orm/migrations';

/** Claimed client ids (for client tokens) and the server's own generated secrets. */
export class Migration20261121010000ClientIdentity extends Migration {
  override name = 'Migration20261121010000ClientIdentity';

  override up(): void {
    this.addSql(`create table "client_identity" ("client_id" varchar(128) not null, "created_at" timestamptz not null, primary key ("client_id"));`);
    this.addSql(
      `create table "server_secret" ("name" varchar(64) not null, "value" varchar(128) not null, "created_at" timestamptz not null, primary key ("name"));`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "server_secret";`);
    this.addSql(`drop table if exists "client_identity";`);
  }
}
