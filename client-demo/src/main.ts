import { GamePanel } from './gamePanel.ts';
import { showError } from './notices.ts';
import { setUpPreviewPanel } from './previewPanel.ts';
import { ReplayPanel } from './replayPanel.ts';
import { loadIdentity } from './savedIdentity.ts';
import { setUpSessionsPanel } from './sessionsPanel.ts';

// Errors nobody caught still reach the page instead of only the console.
window.addEventListener('unhandledrejection', (event) => showError(event.reason, 'Unexpected error'));

const identity = loadIdentity();
const nameInput = document.getElementById('player-name') as HTMLInputElement;
nameInput.value = identity.name;
document.getElementById('client-id')!.textContent = identity.clientId;

setUpPreviewPanel();
const game = new GamePanel(identity, () => void sessions.refresh());
const replay = new ReplayPanel();
const sessions = setUpSessionsPanel({
  join: (sessionId, spectator) => void game.join(sessionId, spectator),
  replay: (sessionId) => void replay.show(sessionId),
});

// A reload goes back to the session this browser was in, taking its seat over.
if (identity.sessionId) void game.join(identity.sessionId, identity.spectator);
