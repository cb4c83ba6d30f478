import { hasFinishedRound, type Phase } from '../../src/game/phase.ts';
import type { SessionActions } from './sessionsPanel.ts';
import { shortId } from './shortId.ts';

/** A button of a table row: its visible text is short, its accessible name says which row it acts on. */
export function rowButton(text: string, label: string, onClick: () => void): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = text;
  element.setAttribute('aria-label', label);
  element.addEventListener('click', onClick);
  return element;
}

/** The last cell of a row: its buttons wrap rather than overflow a narrow table. */
export function actionsCell(...buttons: HTMLButtonElement[]): HTMLTableCellElement {
  const cell = document.createElement('td');
  cell.className = 'actions';
  const group = document.createElement('div');
  group.className = 'row-buttons';
  group.append(...buttons);
  cell.append(group);
  return cell;
}

/** Sets each cell's text, touching only those that changed (so focus and selection survive an update). */
export function fillCells(row: HTMLTableRowElement, texts: string[]): void {
  texts.forEach((text, index) => {
    const cell = row.cells[index]!;
    if (cell.textContent !== text) cell.textContent = text;
  });
}

/** Each session row's Replay button, in the row only while there is a round to replay (see offerReplay). */
const replayButtons = new WeakMap<HTMLTableRowElement, { replay: HTMLButtonElement; after: HTMLButtonElement }>();

/**
 * A session's table row (both session tables): `columns` empty cells for fillCells, then Join,
 * Watch and Replay (see offerReplay), and `more` buttons after them.
 */
export function sessionRow(sessionId: string, columns: number, actions: SessionActions, ...more: HTMLButtonElement[]): HTMLTableRowElement {
  const row = document.createElement('tr');
  row.dataset.sessionId = sessionId;
  for (let column = 0; column < columns; column++) row.append(document.createElement('td'));
  const watch = rowButton('Watch', `Watch session ${shortId(sessionId)}`, () => actions.join(sessionId, true));
  const replay = rowButton('Replay', `Replay the last finished round of session ${shortId(sessionId)}`, () => actions.replay(sessionId));
  replayButtons.set(row, { replay, after: watch });
  row.append(
    actionsCell(
      rowButton('Join', `Join session ${shortId(sessionId)} as a player`, () => actions.join(sessionId, false)),
      watch,
      ...more,
    ),
  );
  return row;
}

/** Puts the row's Replay button after Watch while its session has a finished round, and takes it out while it has none. */
export function offerReplay(row: HTMLTableRowElement, session: { phase: Phase; round: number }): void {
  const { replay, after } = replayButtons.get(row)!;
  const offered = hasFinishedRound(session);
  if (offered && !replay.isConnected) after.after(replay);
  if (!offered) replay.remove();
}
