/** What the header says about the socket to the session's room. */
export type ConnectionState = 'idle' | 'joining' | 'connected' | 'reconnecting' | 'lost';

const LABELS: Record<ConnectionState, string> = {
  idle: 'Not in a session',
  joining: 'Joining…',
  connected: 'Connected',
  reconnecting: 'Connection dropped: reconnecting…',
  lost: 'Disconnected',
};

/** Shows the connection state (as text and as `data-state`, which the styles colour). */
export function showConnection(state: ConnectionState, detail?: string): void {
  const element = document.getElementById('connection')!;
  element.dataset.state = state;
  element.textContent = detail ? `${LABELS[state]} (${detail})` : LABELS[state];
}
