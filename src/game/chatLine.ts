/** Longest chat line, in characters (after trimming). */
export const MAX_CHAT_LENGTH = 200;
/** Lines a room keeps and shows to whoever joins. */
export const CHAT_HISTORY_LINES = 50;

/** Normalises a chat text: trimmed, control characters removed; undefined when nothing is left. */
export function cleanChatText(text: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const cleaned = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trim();
  return cleaned.length > 0 ? cleaned : undefined;
}
