import assert from 'node:assert/strict';
import { generateMaze, MAX_MAZE_SIZE, MIN_MAZE_SIZE } from '../../src/maze/generateMaze.ts';
import type { Maze, MazeTile } from '../../src/maze/generateMaze.ts';
import type { Direction } from '../../src/maze/directions.ts';
import { TILE_IMAGE_NAMES } from '../../src/maze/tileShape.ts';
import { EXPECTED_TILE_SHAPES } from './expectedTileShapes.ts';

// Own step table rather than the module's, so a wrong delta there cannot hide here.
const ALL_SIDES: readonly Direction[] = ['N', 'E', 'S', 'W'];
const STEP: Record<Direction, [dx: number, dy: number]> = { N: [0, -1], E: [1, 0], S: [0, 1], W: [-1, 0] };
const BACK: Record<Direction, Direction> = { N: 'S', E: 'W', S: 'N', W: 'E' };
const SHAPE_BY_KEY = new Map(EXPECTED_TILE_SHAPES.map((shape) => [shape.open.join(''), shape]));

function tileAt(maze: Maze, x: number, y: number): MazeTile | undefined {
  if (x < 0 || y < 0 || x >= maze.size || y >= maze.size) return undefined;
  return maze.tiles[y * maze.size + x];
}

function inGrid(maze: Maze, x: number, y: number): boolean {
  return Number.isInteger(x) && Number.isInteger(y) && x >= 0 && y >= 0 && x < maze.size && y < maze.size;
}

/** Passage distance from the start to every cell (row-major), -1 where unreachable. */
function distancesFromStart(maze: Maze): number[] {
  const distance = new Array<number>(maze.size * maze.size).fill(-1);
  const queue: [number, number][] = [[maze.startX, maze.startY]];
  distance[maze.startY * maze.size + maze.startX] = 0;
  for (let head = 0; head < queue.length; head++) {
    const [x, y] = queue[head]!;
    const here = distance[y * maze.size + x]!;
    for (const direction of tileAt(maze, x, y)!.openDirections) {
      const [dx, dy] = STEP[direction];
      const index = (y + dy) * maze.size + (x + dx);
      if (!inGrid(maze, x + dx, y + dy) || distance[index] !== -1) continue;
      distance[index] = here + 1;
      queue.push([x + dx, y + dy]);
    }
  }
  return distance;
}

/** Checks a property on every sample maze, naming the offending maze on failure. */
function forEachMaze(mazes: readonly Maze[], check: (maze: Maze) => void): void {
  for (const maze of mazes) {
    try {
      check(maze);
    } catch (error) {
      throw new Error(`size ${maze.size}, seed ${JSON.stringify(maze.seed)}: ${(error as Error).message}`, { cause: error });
    }
  }
}

describe('generateMaze properties', () => {
  const mazes: Maze[] = [];

  before(() => {
    for (let size = MIN_MAZE_SIZE; size <= MAX_MAZE_SIZE; size++) {
      for (let k = 0; k < 4; k++) mazes.push(generateMaze(size, `property-${size}-${k}`));
    }
    // Many seeds on small grids, where edge cases (start on a border, ties for the exit) are common.
    for (let k = 0; k < 400; k++) mazes.push(generateMaze(MIN_MAZE_SIZE + (k % 5), `small-${k}`));
  });

  it('echoes size and seed and lists size² tiles in row-major order', () => {
    forEachMaze(mazes, (maze) => {
      assert.equal(maze.tiles.length, maze.size * maze.size);
      maze.tiles.forEach((tile, index) => {
        assert.equal(tile.x, index % maze.size);
        assert.equal(tile.y, Math.floor(index / maze.size));
      });
    });
    assert.equal(mazes[0]!.size, MIN_MAZE_SIZE);
    assert.equal(mazes[0]!.seed, `property-${MIN_MAZE_SIZE}-0`);
  });

  it('places start and exit inside the grid', () => {
    forEachMaze(mazes, (maze) => {
      assert.ok(inGrid(maze, maze.startX, maze.startY), 'start outside grid');
      assert.ok(inGrid(maze, maze.exit.x, maze.exit.y), 'exit outside grid');
    });
  });

  it('never opens towards the outside of the grid', () => {
    forEachMaze(mazes, (maze) => {
      for (const tile of maze.tiles) {
        for (const direction of tile.openDirections) {
          const [dx, dy] = STEP[direction];
          assert.ok(inGrid(maze, tile.x + dx, tile.y + dy), `(${tile.x},${tile.y}) opens ${direction} off the grid`);
        }
      }
    });
  });

  it('opens both sides of every passage', () => {
    forEachMaze(mazes, (maze) => {
      for (const tile of maze.tiles) {
        for (const direction of ALL_SIDES) {
          const [dx, dy] = STEP[direction];
          const neighbour = tileAt(maze, tile.x + dx, tile.y + dy);
          if (neighbour === undefined) continue;
          assert.equal(
            tile.openDirections.includes(direction),
            neighbour.openDirections.includes(BACK[direction]),
            `(${tile.x},${tile.y}) ${direction} disagrees with its neighbour`,
          );
        }
      }
    });
  });

  it('has exactly size² − 1 passages', () => {
    forEachMaze(mazes, (maze) => {
      // Given symmetry (checked above), counting only E and S openings counts each passage once.
      let passages = 0;
      for (const tile of maze.tiles) {
        if (tile.openDirections.includes('E')) passages++;
        if (tile.openDirections.includes('S')) passages++;
      }
      assert.equal(passages, maze.size * maze.size - 1);
    });
  });

  it('connects every cell to the start', () => {
    forEachMaze(mazes, (maze) => {
      const unreachable = distancesFromStart(maze).filter((distance) => distance === -1).length;
      assert.equal(unreachable, 0);
    });
  });

  it('puts the exit at maximal passage distance, first such cell in row-major order', () => {
    forEachMaze(mazes, (maze) => {
      const distance = distancesFromStart(maze);
      const longest = Math.max(...distance);
      assert.ok(longest > 0);
      assert.equal(distance[maze.exit.y * maze.size + maze.exit.x], longest);
      assert.equal(maze.exit.y * maze.size + maze.exit.x, distance.indexOf(longest));
    });
  });

  it('lists open directions in canonical N, E, S, W order without duplicates', () => {
    forEachMaze(mazes, (maze) => {
      for (const tile of maze.tiles) {
        const canonical = ALL_SIDES.filter((direction) => tile.openDirections.includes(direction));
        assert.deepEqual(tile.openDirections, canonical);
        assert.ok(tile.openDirections.length > 0, `(${tile.x},${tile.y}) is closed`);
      }
    });
  });

  it('gives every tile the type and image of its open directions', () => {
    const imageNames = new Set<string>(TILE_IMAGE_NAMES);
    forEachMaze(mazes, (maze) => {
      for (const tile of maze.tiles) {
        const expected = SHAPE_BY_KEY.get(tile.openDirections.join(''));
        assert.ok(expected, `no shape for [${tile.openDirections.join('')}]`);
        assert.equal(tile.type, expected.type);
        assert.equal(tile.image, expected.image);
        assert.ok(imageNames.has(tile.image));
      }
    });
  });

  it('spreads the start cell over the grid', () => {
    const starts = new Set(mazes.filter((maze) => maze.size === 4).map((maze) => `${maze.startX},${maze.startY}`));
    assert.equal(starts.size, 16);
  });

  it('does not share openDirections arrays between tiles', () => {
    const maze = generateMaze(8, 'aliasing');
    maze.tiles[0]!.openDirections.push('N');
    assert.equal(new Set(maze.tiles.map((tile) => tile.openDirections)).size, maze.tiles.length);
    assert.notDeepEqual(generateMaze(8, 'aliasing').tiles[0]!.openDirections, maze.tiles[0]!.openDirections);
  });
});

describe('generateMaze size validation', () => {
  for (const size of [3, 65, 4.5, Number.NaN, 0, -8, Number.POSITIVE_INFINITY]) {
    it(`rejects size ${size}`, () => {
      assert.throws(() => generateMaze(size, 'any'), RangeError);
    });
  }

  it('accepts the smallest and largest sizes', () => {
    assert.equal(generateMaze(MIN_MAZE_SIZE, 'edge').tiles.length, MIN_MAZE_SIZE ** 2);
    assert.equal(generateMaze(MAX_MAZE_SIZE, 'edge').tiles.length, MAX_MAZE_SIZE ** 2);
  });
});
