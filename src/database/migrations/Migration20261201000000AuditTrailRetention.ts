import { Migration } from '@mikro-orm/migrations';

/** The audit trail's retention (AuditTrailRetention) finds the events past EVENT_RETENTION_DAYS by their time. */
export class Migration20261201000000AuditTrailRetention extends Migration {
  override name = 'Migration20261201000000AuditTrailRetention';

  override up(): void {
    this.addSql(`create index "session_event_at_index" on "session_event" ("at");`);
  }

  override down(): void {
    this.addSql(`drop index "session_event_at_index";`);
  }
}
