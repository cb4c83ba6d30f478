import { CHAT_HISTORY_LINES, cleanChatText, MAX_CHAT_LENGTH } from './chatLine.ts';
import { ConflictError } from '../domainErrors.ts';
import type { ChatLine } from './roundFacts.ts';
import { TokenBuckets } from './TokenBuckets.ts';

/** Five chat lines at once, then one a second, per client. */
export const CHAT_BURST = 5;
export const CHAT_REFILL_MS = 1000;

/** A session's chat: which lines are accepted, per-client rate limits, and the recent history. */
export class SessionChat {
  /** The last CHAT_HISTORY_LINES lines, oldest first, so joiners see the conversation so far. */
  readonly lines: ChatLine[] = [];
  readonly #limits = new TokenBuckets({ capacity: CHAT_BURST, refillMs: CHAT_REFILL_MS });

  /** Accepts a line (trimmed, control characters removed, 1..MAX_CHAT_LENGTH) or refuses it with a code. */
  accept(text: string): string {
    const cleaned = cleanChatText(text);
    if (cleaned === undefined) throw new ConflictError('chat_empty', 'Say something');
    if (cleaned.length > MAX_CHAT_LENGTH) throw new ConflictError('chat_too_long', `At most ${MAX_CHAT_LENGTH} characters`);
    return cleaned;
  }

  /** Adds an accepted line from `speaker`, unless the speaker is over its rate limit. */
  say(speaker: { clientId: string; name: string }, text: string, now: number, lateMs = 0): ChatLine {
    if (!this.#limits.take(speaker.clientId, now, lateMs)) throw new ConflictError('chat_rate_limited', 'Too many lines: wait a second');
    const line = { from: speaker.clientId, name: speaker.name, text, at: now };
    this.lines.push(line);
    this.lines.splice(0, Math.max(0, this.lines.length - CHAT_HISTORY_LINES));
    return line;
  }

  /** Forgets a client's rate limit (it left). */
  forget(clientId: string): void {
    this.#limits.forget(clientId);
  }
}
