import assert from 'node:assert/strict';
import type { LogEntry } from '../../src/game/roundLog.ts';
import { request } from './httpClient.ts';

/**
 * A session's whole audit trail through `GET /api/sessions/:id/events`, paged through 50 at a time,
 * as an admin (everything) or as anyone (up to the last finished round).
 */
export async function readAuditTrail(sessionId: string, { admin }: { admin: boolean }): Promise<LogEntry[]> {
  const entries: LogEntry[] = [];
  for (let more = true; more;) {
    const page = await request('GET', `/api/sessions/${sessionId}/events?after=${entries.at(-1)?.seq ?? 0}&limit=50`, { admin });
    assert.equal(page.status, 200);
    entries.push(...page.body.events.map((event: LogEntry & { at: string }) => ({ ...event, at: Date.parse(event.at) })));
    more = page.body.more;
  }
  return entries;
}
