/** A tile as both the preview and the room state describe it. */
export type DrawableTile = { x: number; y: number; type: string; image: string; openDirections: Iterable<string>; exit?: boolean };

/** A player's token on the grid: `mine` is drawn apart (your own, or a replay's winner), a bot as a numbered square. */
export type Marker = { x: number; y: number; label: string; title: string; mine: boolean; bot: boolean };

/** A token as the grid draws it; the player list shows the same beside each name. */
export function tokenElement({ label, title, mine, bot }: Omit<Marker, 'x' | 'y'>): HTMLElement {
  const token = document.createElement('span');
  token.className = ['marker', mine ? 'mine' : '', bot ? 'bot' : ''].filter(Boolean).join(' ');
  token.textContent = label;
  token.title = title;
  return token;
}

/**
 * A size × size grid of cells, each showing its tile image once the tile is known. Cells are made
 * once and tiles drawn one by one, so a room can reveal tiles patch after patch without redrawing
 * up to 4 096 images.
 */
export class MazeGrid {
  readonly size: number;
  readonly #cells: HTMLElement[] = [];
  /** The token holders in cells now. */
  readonly #stacks: HTMLElement[] = [];

  constructor(container: HTMLElement, size: number) {
    this.size = size;
    const grid = document.createElement('div');
    grid.className = 'maze-grid';
    grid.style.setProperty('--size', String(size));
    for (let index = 0; index < size * size; index++) {
      const cell = document.createElement('div');
      cell.className = 'cell';
      this.#cells.push(cell);
    }
    grid.append(...this.#cells);
    container.replaceChildren(grid);
  }

  /** Draws a tile; drawing a tile already shown changes nothing. */
  drawTile(tile: DrawableTile): void {
    const cell = this.#cells[tile.y * this.size + tile.x];
    if (!cell || cell.dataset.image === tile.image) return;
    const image = document.createElement('img');
    image.src = `/tiles/${tile.image}`;
    // The grid as a whole is labelled; each image's text would only repeat it 4 096 times.
    image.alt = '';
    // A drag across the board is a swipe, not an image being dragged away.
    image.draggable = false;
    image.title = `(${tile.x}, ${tile.y}) ${tile.type}, open ${[...tile.openDirections].join(' ')}${tile.exit ? ', exit' : ''}`;
    cell.dataset.image = tile.image;
    cell.classList.add('known');
    cell.classList.toggle('exit', tile.exit === true);
    cell.replaceChildren(image);
  }

  /** Marks a cell without an image (the start in a preview, the exit once seen). */
  highlight(x: number, y: number, className: string): void {
    this.#cells[y * this.size + x]?.classList.add(className);
  }

  /**
   * Replaces every player token. Tokens on one cell share it side by side, in a square of as many
   * columns as it takes (2 for 2 to 4 tokens, 3 up to 9, …), so none hides another.
   */
  setMarkers(markers: Marker[]): void {
    for (const stack of this.#stacks.splice(0)) stack.remove();
    const byCell = Map.groupBy(markers, ({ x, y }) => y * this.size + x);
    for (const [index, onCell] of byCell) {
      const stack = document.createElement('div');
      stack.className = 'tokens';
      stack.style.setProperty('--columns', String(Math.ceil(Math.sqrt(onCell.length))));
      stack.append(...onCell.map(tokenElement));
      this.#cells[index]?.append(stack);
      this.#stacks.push(stack);
    }
  }
}
