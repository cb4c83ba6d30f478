import { askAdminPassword, forgetAdminPassword } from './adminPasswordDialog.ts';
import { showError, showInfo } from './notices.ts';
import { ApiError, restClient, type SessionListItem } from './restClient.ts';
import { textField } from './textField.ts';

/** How often the list asks the server again. */
const REFRESH_MS = 3000;

export type SessionActions = {
  /** Join a session as a player, or watch it as a spectator. */
  join(sessionId: string, spectator: boolean): void;
  /** Step through the session's last finished round. */
  replay(sessionId: string): void;
};

/**
 * "Sessions": the list (refreshed every few seconds, with each running room's players, connections
 * and readiness), create, delete and delete-all (which ask for the admin password).
 */
export function setUpSessionsPanel(actions: SessionActions): { refresh(): Promise<void> } {
  const createForm = document.getElementById('create-form') as HTMLFormElement;
  const rows = document.querySelector<HTMLTableSectionElement>('#session-table tbody')!;
  const summary = document.getElementById('sessions-summary')!;
  const deleteAll = document.getElementById('delete-all') as HTMLButtonElement;
  const shownRows = new Map<string, HTMLTableRowElement>();

  async function refresh(): Promise<void> {
    try {
      const list = await restClient.listSessions();
      render(list.sessions);
      summary.textContent = `${list.total} session${list.total === 1 ? '' : 's'} (updated ${new Date().toLocaleTimeString()})`;
    } catch (error) {
      summary.textContent = 'The session list could not be loaded.';
      showError(error, 'Session list');
    }
  }

  // Rows are updated in place, keyed by session id, so keyboard focus survives a refresh.
  function render(sessions: SessionListItem[]): void {
    const current = new Set(sessions.map((session) => session.id));
    for (const [id, row] of shownRows) {
      if (!current.has(id)) {
        row.remove();
        shownRows.delete(id);
      }
    }
    sessions.forEach((session, index) => {
      const row = shownRows.get(session.id) ?? newRow(session);
      shownRows.set(session.id, row);
      fillRow(row, session);
      if (rows.children[index] !== row) rows.insertBefore(row, rows.children[index] ?? null);
    });
  }

  function newRow(session: SessionListItem): HTMLTableRowElement {
    const row = document.createElement('tr');
    row.dataset.sessionId = session.id;
    for (let column = 0; column < 5; column++) row.append(document.createElement('td'));
    const actionsCell = document.createElement('td');
    actionsCell.className = 'actions';
    actionsCell.append(
      button('Join', `Join session ${shortId(session.id)} as a player`, () => actions.join(session.id, false)),
      button('Watch', `Watch session ${shortId(session.id)}`, () => actions.join(session.id, true)),
      button('Replay', `Replay the last finished round of session ${shortId(session.id)}`, () => actions.replay(session.id)),
      button('Delete', `Delete session ${shortId(session.id)}`, () => void deleteOne(session.id)),
    );
    row.append(actionsCell);
    return row;
  }

  function fillRow(row: HTMLTableRowElement, session: SessionListItem): void {
    const live = session.live;
    const texts = [
      shortId(session.id),
      `${session.size}×${session.size}`,
      live ? `${live.players} (${live.connected} connected)` : '0',
      live ? (live.allReady ? 'all ready' : 'waiting') : 'no room running',
      new Date(session.createdAt).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' }),
    ];
    texts.forEach((text, index) => {
      const cell = row.cells[index]!;
      if (cell.textContent !== text) cell.textContent = text;
    });
    row.cells[0]!.title = `${session.id}, fog ${session.fog}, ${session.seed === null ? 'seed hidden until the round is finished' : `seed ${session.seed}`}`;
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
      if (error instanceof ApiError && error.status === 401) forgetAdminPassword();
      showError(error, action);
    }
    await refresh();
  }

  createForm.addEventListener('submit', (event) => void create(event));

  async function create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const fields = new FormData(createForm);
    try {
      const fog = fields.get('fog') === 'player' ? 'player' : 'team';
      const session = await restClient.createSession(Number(fields.get('size')), textField(fields, 'seed') || undefined, fog);
      showInfo(`Session ${shortId(session.id)} created (fog: ${session.fog}; its seed is published when the round is finished)`);
      await refresh();
    } catch (error) {
      showError(error, 'Create session');
    }
  }

  deleteAll.addEventListener(
    'click',
    () =>
      void asAdmin('Delete every session', async (password) => {
        const { deleted } = await restClient.deleteAllSessions(password);
        showInfo(`${deleted} session${deleted === 1 ? '' : 's'} deleted`);
      }),
  );

  void refresh();
  setInterval(() => void refresh(), REFRESH_MS);
  return { refresh };
}

function button(text: string, label: string, onClick: () => void): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = text;
  element.setAttribute('aria-label', label);
  element.addEventListener('click', onClick);
  return element;
}

/** Enough of a UUID to tell sessions apart on screen; the full id is in the row's title. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}
