/** A tile as both the preview and the room state describe it. */
export type DrawableTile = { x: number; y: number; type: string; image: string; openDirections: Iterable<string>; exit?: boolean };

/** A player's token on the grid. */
export type Marker = { x: number; y: number; label: string; title: string; mine: boolean };

/**
 * A size × size grid of cells, each showing its tile image once the tile is known. Cells are made
 * once and tiles drawn one by one, so a room can reveal tiles patch after patch without redrawing
 * up to 4 096 images.
 */
export class MazeGrid {
  readonly size: number;
  readonly #cells: HTMLElement[] = [];
  readonly #markers: HTMLElement[] = [];

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

  /** Replaces every player token. */
  setMarkers(markers: Marker[]): void {
    for (const marker of this.#markers.splice(0)) marker.remove();
    for (const { x, y, label, title, mine } of markers) {
      const token = document.createElement('span');
      token.className = mine ? 'marker mine' : 'marker';
      token.textContent = label;
      token.title = title;
      this.#cells[y * this.size + x]?.append(token);
      this.#markers.push(token);
    }
  }
}
