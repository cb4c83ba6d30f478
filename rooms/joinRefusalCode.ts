// How a refused join names its reason. The SDK hands a refused join to its caller as a
// MatchMakeError with two fields only: `code`, a number (the HTTP-like status: 400, 403, 404, 409,
// 503), and `message` (Colyseus passes nothing else, over HTTP or the socket). So that a client can
// tell "session full" from "seated elsewhere" (both 409) without reading prose, the message of every
// join this server refuses begins with the reason's code and a colon:
// `session_full: Session 3f… is full (4 players): …`.
// No imports: browser clients import this file too.

/** A refused join's message: `<code>: <what happened and what to do>`. */
export function joinRefusalMessage(code: string, message: string): string {
  return `${code}: ${message}`;
}

/** The reason code a refused join's message begins with (`session_full`, …); undefined when Colyseus refused it itself (`room "…" not found`). */
export function joinRefusalCode(message: string): string | undefined {
  return /^([a-z_]+): /.exec(message)?.[1];
}
