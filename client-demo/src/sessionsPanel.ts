import { askAdminPassword, forgetAdminPassword } from './adminPasswordDialog.ts';
import { counted } from './counted.ts';
import { showError, showInfo } from './notices.ts';
import { ApiError, restClient, type SessionListItem } from './restClient.ts';
import { keyedRows } from './keyedRows.ts';
import { fillCells, offerReplay, rowButton, sessionRow } from './rowButton.ts';
import { shortId } from './shortId.ts';

export type SessionActions = {
  /** Join a session as a player, or watch it as a spectator. */
  join(sessionId: string, spectator: boolean): void;
  /** Step through the session's last finished round. */
  replay(sessionId: string): void;
};

/** What the demo says when the server refused the admin password typed in. */
const WRONG_PASSWORD =
  'The admin password was wrong. It is the server’s ADMIN_PASSWORD setting or, when that is not set, the generatedAdminPassword in the startup block of the server log';

/**
 * "Stored sessions": every session in the database over REST (`GET /api/sessions`), with or without
 * a running room, loaded on opening, after this page's own changes and on Refresh (the live list is
 * what updates on its own); delete and delete-all (which ask for the admin password).
 */
export function setUpSessionsPanel(actions: SessionActions): { refresh(): Promise<void> } {
  const rows = document.querySelector<HTMLTableSectionElement>('#session-table tbody')!;
  const summary = document.getElementById('sessions-summary')!;
  const render = keyedRows(rows, { keyOf: (session: SessionListItem) => session.id, create: newRow, fill });

  async function refresh(): Promise<void> {
    try {
      const list = await restClient.listSessions();
      render(list.sessions);
      summary.textContent = `${counted(list.total, 'session')} (loaded ${new Date().toLocaleTimeString()})`;
    } catch (error) {
      summary.textContent = 'The session list could not be loaded.';
      showError(error, 'Session list');
    }
  }

  function newRow(sessionId: string): HTMLTableRowElement {
    return sessionRow(
      sessionId,
      4,
      actions,
      rowButton('Delete', `Delete session ${shortId(sessionId)}`, () => void deleteOne(sessionId)),
    );
  }

  function fill(row: HTMLTableRowElement, session: SessionListItem): void {
    const live = session.live;
    fillCells(row, [
      shortId(session.id) + (session.visibility === 'private' ? ` (private, ${session.code})` : ''),
      `${session.size}×${session.size}, fog ${session.fog}`,
      live
        ? `${live.players}/${session.maxPlayers} (${live.connected} connected${live.bots > 0 ? `, ${counted(live.bots, 'bot')}` : ''})`
        : `no room running, ${session.maxPlayers} seats`,
      new Date(session.createdAt).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' }),
    ]);
    row.cells[0]!.title = `${session.id}, ${session.seed === null ? 'seed hidden until the round is finished' : `seed ${session.seed}`}`;
    offerReplay(row, session);
  }

  async function deleteOne(sessionId: string): Promise<void> {
    await asAdmin(`Delete session ${shortId(sessionId)}`, async (password) => {
      await restClient.deleteSession(sessionId, password);
      showInfo(`Session ${shortId(sessionId)} deleted`);
    });
  }

  async function asAdmin(action: string, work: (password: string) => Promise<void>): Promise<void> {
    const password = await askAdminPassword(action);
    if (password === undefined) return;
    try {
      await work(password);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        forgetAdminPassword();
        showError(new Error(`${WRONG_PASSWORD} [${error.code}, HTTP 401]`), action);
      } else {
        showError(error, action);
      }
    }
    await refresh();
  }

  document.getElementById('refresh-sessions')!.addEventListener('click', () => void refresh());
  document.getElementById('delete-all')!.addEventListener(
    'click',
    () =>
      void asAdmin('Delete every session', async (password) => {
        const { deleted } = await restClient.deleteAllSessions(password);
        showInfo(`${counted(deleted, 'session')} deleted`);
      }),
  );

  void refresh();
  return { refresh };
}
