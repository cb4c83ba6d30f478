import { MazeGrid } from './mazeGrid.ts';
import { clearNotice, showError } from './notices.ts';
import { restClient } from './restClient.ts';
import { textField } from './textField.ts';

/** The notice of a preview the server refused, until one works. */
const PREVIEW_FAILED = 'Preview failed';

/** "Maze preview": size and optional seed in, the maze drawn with its tile images, the seed used shown. */
export function setUpPreviewPanel(): void {
  const form = document.getElementById('preview-form') as HTMLFormElement;
  const seedUsed = document.getElementById('preview-seed')!;
  const container = document.getElementById('preview-maze')!;

  form.addEventListener('submit', (event) => void preview(event));

  async function preview(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const fields = new FormData(form);
    const size = Number(fields.get('size'));
    const seed = textField(fields, 'seed') || undefined;
    try {
      const maze = await restClient.previewMaze(size, seed);
      const grid = new MazeGrid(container, maze.size);
      for (const tile of maze.tiles) {
        grid.drawTile({ ...tile, exit: tile.x === maze.exit.x && tile.y === maze.exit.y });
      }
      grid.highlight(maze.startX, maze.startY, 'start');
      container.setAttribute('aria-label', `Maze ${maze.size} by ${maze.size}, seed ${maze.seed}`);
      seedUsed.textContent = `Seed used: ${maze.seed} (start ${maze.startX},${maze.startY}; exit ${maze.exit.x},${maze.exit.y})`;
      seedUsed.dataset.seed = maze.seed;
      clearNotice(PREVIEW_FAILED);
    } catch (error) {
      showError(error, PREVIEW_FAILED);
    }
  }
}
