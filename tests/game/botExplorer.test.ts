import assert from 'node:assert/strict';
import { BotExplorer, knownMaze } from '../../src/game/BotExplorer.ts';
import { cellKey } from '../../src/game/fogOfWar.ts';
import { MazeKnowledge, type FogMode } from '../../src/game/MazeKnowledge.ts';
import { isExit, tryMove, type Cell } from '../../src/game/moveRules.ts';
import type { Direction } from '../../src/maze/directions.ts';
import { generateMaze, type Maze } from '../../src/maze/generateMaze.ts';

const SIZES = [4, 5, 7, 10, 16];
const SEEDS_PER_SIZE = 25;

/** The maze as it would be if every tile the bot has not seen were different: walled in, and the exit elsewhere. */
function withUnseenTilesChanged(maze: Maze, seen: ReadonlySet<string>): Maze {
  return {
    ...maze,
    tiles: maze.tiles.map((tile) => (seen.has(cellKey(tile)) ? tile : { ...tile, openDirections: ['N', 'E', 'S', 'W'] })),
    exit: seen.has(cellKey(maze.exit)) ? maze.exit : { x: -1, y: -1 },
  };
}

type Walk = { winner: number; steps: number };

/**
 * Plays `bots` explorers on one maze, in turns, with the round's own knowledge bookkeeping, until one
 * stands on the exit. Checks every choice: a side its player has seen open, the same on a maze whose
 * unseen tiles differ (no peeking), and the same from a twin explorer with the same history.
 */
function walk(maze: Maze, bots: number, fog: FogMode, options: { forgetAt?: number } = {}): Walk {
  const knowledge = new MazeKnowledge();
  const start: Cell = { x: maze.startX, y: maze.startY };
  const players = Array.from({ length: bots }, (_, index) => {
    knowledge.look(`bot-${index}`, maze, start);
    return { id: `bot-${index}`, at: start, explorer: new BotExplorer(), twin: new BotExplorer() };
  });
  const bound = 2 * (maze.size * maze.size - 1);
  for (let steps = 1; steps <= bound; steps++) {
    for (const [index, player] of players.entries()) {
      if (steps === options.forgetAt) player.explorer = new BotExplorer();
      if (steps === options.forgetAt) player.twin = new BotExplorer();
      const seen = knowledge.knownTo(player.id, fog);
      const side = player.explorer.nextStep(player.at, knownMaze(maze, seen));
      assert.ok(side, `${player.id} on ${cellKey(player.at)} found nowhere to go (seed ${maze.seed})`);
      assert.ok(maze.tiles[player.at.y * maze.size + player.at.x]!.openDirections.includes(side), 'a side the bot has seen open');
      assert.equal(player.explorer.nextStep(player.at, knownMaze(withUnseenTilesChanged(maze, seen), seen)), side, 'unseen tiles change nothing');
      assert.equal(player.twin.nextStep(player.at, knownMaze(maze, new Set(seen))), side, 'the same knowledge, the same choice');
      const move = tryMove(maze, player.at, side);
      assert.ok(move.ok);
      player.explorer.stepped(player.at, move.to);
      player.twin.stepped(player.at, move.to);
      player.at = move.to;
      knowledge.look(player.id, maze, move.to);
      if (isExit(maze, move.to)) return { winner: index, steps };
    }
  }
  assert.fail(`no bot reached the exit of ${maze.seed} within ${bound} steps`);
}

describe('BotExplorer', () => {
  it('reaches the exit alone, on its own knowledge, within twice the cells in steps', () => {
    for (const size of SIZES) {
      for (let seed = 0; seed < SEEDS_PER_SIZE; seed++) walk(generateMaze(size, `bot-${size}-${seed}`), 1, 'player');
    }
  });

  it('plays as a team (team fog: sharing what any of them saw) and as rivals (player fog)', () => {
    for (const size of SIZES) {
      for (let seed = 0; seed < 6; seed++) {
        for (const fog of ['team', 'player'] as const) walk(generateMaze(size, `bots-${fog}-${size}-${seed}`), 3, fog);
      }
    }
  });

  it('team knowledge shortens the walk: the exit, once any teammate saw it, is taken straight', () => {
    let shorter = 0;
    for (let seed = 0; seed < 30; seed++) {
      const maze = generateMaze(12, `teamwork-${seed}`);
      if (walk(maze, 4, 'team').steps < walk(maze, 4, 'player').steps) shorter++;
    }
    assert.ok(shorter > 10, `team fog was faster on ${shorter} of 30 mazes`);
  });

  it('finds its way again after losing its memory mid-round (a rebuilt room)', () => {
    for (let seed = 0; seed < 20; seed++) walk(generateMaze(10, `forgetful-${seed}`), 2, 'player', { forgetAt: 15 });
  });

  it('explores depth-first: it never enters a known dead end that is not the exit, and backtracks along its path', () => {
    const maze = generateMaze(8, 'dead-ends');
    const knowledge = new MazeKnowledge();
    let at: Cell = { x: maze.startX, y: maze.startY };
    knowledge.look('bot-1', maze, at);
    const explorer = new BotExplorer();
    const path: Cell[] = [];
    while (!isExit(maze, at)) {
      const side: Direction = explorer.nextStep(at, knownMaze(maze, knowledge.seenBy('bot-1')))!;
      const move = tryMove(maze, at, side);
      assert.ok(move.ok);
      const tile = maze.tiles[move.to.y * maze.size + move.to.x]!;
      const backtracking = path.length > 0 && cellKey(path.at(-1)!) === cellKey(move.to);
      assert.ok(backtracking || tile.openDirections.length > 1 || isExit(maze, move.to), `stepped into the dead end ${cellKey(move.to)}`);
      if (backtracking) path.pop();
      else path.push(at);
      explorer.stepped(at, move.to);
      at = move.to;
      knowledge.look('bot-1', maze, at);
    }
  });
});
