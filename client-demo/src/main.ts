import { GamePanel } from './gamePanel.ts';
import { setUpLiveSessions } from './liveSessions.ts';
import { showError } from './notices.ts';
import { setUpPlayPanel } from './playPanel.ts';
import { setUpPreviewPanel } from './previewPanel.ts';
import { ReplayPanel } from './replayPanel.ts';
import { loadIdentity } from './savedIdentity.ts';
import { setUpSessionsPanel, type SessionActions } from './sessionsPanel.ts';

// Errors nobody caught still reach the page instead of only the console.
window.addEventListener('unhandledrejection', (event) => showError(event.reason, 'Unexpected error'));

const identity = loadIdentity();
const nameInput = document.getElementById('player-name') as HTMLInputElement;
nameInput.value = identity.name;
document.getElementById('client-id')!.textContent = identity.clientId;

setUpPreviewPanel();
const replay = new ReplayPanel();
const game = new GamePanel(
  identity,
  () => void sessions.refresh(),
  (sessionId) => void replay.show(sessionId),
);
const actions: SessionActions = {
  join: (sessionId, spectator) => void game.join({ sessionId, spectator }),
  replay: (sessionId) => void replay.show(sessionId),
};
const sessions = setUpSessionsPanel(actions);
setUpLiveSessions(actions);
setUpPlayPanel(
  (target) => game.join(target),
  () => void sessions.refresh(),
);

// A reload goes back to the session this browser was in, taking its seat over.
if (identity.sessionId) void game.join({ sessionId: identity.sessionId, spectator: identity.spectator });
