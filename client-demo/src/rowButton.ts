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

/**
 * A session's table row (both session tables): `columns` empty cells for fillCells, then Join,
 * Watch and Replay, and `more` buttons after them.
 */
export function sessionRow(sessionId: string, columns: number, actions: SessionActions, ...more: HTMLButtonElement[]): HTMLTableRowElement {
  const row = document.createElement('tr');
  row.dataset.sessionId = sessionId;
  for (let column = 0; column < columns; column++) row.append(document.createElement('td'));
  row.append(
    actionsCell(
      rowButton('Join', `Join session ${shortId(sessionId)} as a player`, () => actions.join(sessionId, false)),
      rowButton('Watch', `Watch session ${shortId(sessionId)}`, () => actions.join(sessionId, true)),
      rowButton('Replay', `Replay the last finished round of session ${shortId(sessionId)}`, () => actions.replay(sessionId)),
      ...more,
    ),
  );
  return row;
}
