/**
 * The presence channel on which a session's room publishes its `Readiness` after every change.
 * Presence is Colyseus's own pub/sub (in-process, or Redis when scaled out), so the old push
 * channel `/ws/{session_id}` hears a room wherever it runs.
 */
export function readinessChannel(sessionId: string): string {
  return `labyrinth:readiness:${sessionId}`;
}
