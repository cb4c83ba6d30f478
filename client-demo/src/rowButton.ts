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
