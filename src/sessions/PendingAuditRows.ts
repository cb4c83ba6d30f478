import type { LogEntry } from '../game/roundLog.ts';

/** Room for about a hundred entries (a busy process's flush) before the first growth. */
const INITIAL_BYTES = 16 * 1024;

/**
 * Audit trail entries waiting for their flush, kept as the JSON text of their rows in one growing
 * buffer rather than as objects. They wait for the flush interval and then for the flush's round
 * trip, long enough to survive a scavenge: as objects (an entry, its data, the arrays of SQL
 * parameters built from them) they were the largest share of what the play path promoted to the old
 * generation, to be freed only by a major collection (docs/benchmarks.md). The buffer's bytes live
 * outside V8's heap, and the strings each entry is written from die young. The flush passes the
 * buffer as one parameter (`appendToLog`).
 */
export class PendingAuditRows {
  #bytes = Buffer.allocUnsafe(INITIAL_BYTES);
  /** Bytes written, `[` and the rows so far. */
  #length = 0;

  get isEmpty(): boolean {
    return this.#length === 0;
  }

  append(sessionId: string, entry: LogEntry): void {
    // Ids, types and numbers need no escaping (a session id is a UUID, a type one of RoundEvent's).
    const row =
      `${this.#length === 0 ? '[' : ','}{"session_id":"${sessionId}","seq":${entry.seq},"at":${entry.at},` +
      `"actor":${JSON.stringify(entry.actor)},"type":"${entry.type}","data":${JSON.stringify(entry.data)}}`;
    this.#reserve(Buffer.byteLength(row) + 1);
    this.#length += this.#bytes.write(row, this.#length);
  }

  /** Every row, as a JSON array (UTF-8). */
  json(): Buffer {
    this.#reserve(1);
    this.#bytes.write(']', this.#length);
    return this.#bytes.subarray(0, this.#length + 1);
  }

  /** Makes room for `bytes` more. */
  #reserve(bytes: number): void {
    if (this.#length + bytes <= this.#bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#bytes.length * 2, this.#length + bytes));
    this.#bytes.copy(grown, 0, 0, this.#length);
    this.#bytes = grown;
  }
}
