// Measures what creating a session costs and why tiles are written with one bulk insert:
// `node bench/sessionCreation.bench.ts [size] [runs]` on a fresh PGlite folder (or DATABASE_URL).
// Baseline, in the same run: the same tiles written one INSERT per tile, as a naive port of the
// old system would. Timings on shared machines are noisy: read the medians and the ratio.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { closeAllDatabases, openDatabase } from '../src/database/openDatabase.ts';
import { Labyrinth, Tile } from '../src/database/entities/index.ts';
import { createLogger } from '../src/logger.ts';
import { generateMaze } from '../src/maze/generateMaze.ts';
import { SessionService } from '../src/sessions/SessionService.ts';

const size = Number(process.argv[2] ?? 32);
const runs = Number(process.argv[3] ?? 7);
const dataDir = mkdtempSync(join(tmpdir(), 'labyrinth-bench-'));
const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir, logger: createLogger('silent') });
const sessions = new SessionService(database);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
async function time(task: () => unknown): Promise<number> {
  const started = performance.now();
  await task();
  return performance.now() - started;
}

/** The baseline: labyrinth row, then one INSERT statement per tile, in one transaction. */
async function createWithRowByRowInserts(seed: string): Promise<void> {
  const maze = generateMaze(size, seed);
  const labyrinthId = randomUUID();
  await database.em.fork().transactional(async (em) => {
    em.create(Labyrinth, { id: labyrinthId, size, seed, startX: maze.startX, startY: maze.startY, exitX: maze.exit.x, exitY: maze.exit.y });
    await em.flush();
    for (const tile of maze.tiles) {
      await em.insert(Tile, { labyrinth: labyrinthId, x: tile.x, y: tile.y, type: tile.type, openDirections: tile.openDirections, revealed: false });
    }
  });
}

const generation: number[] = [];
for (let run = 0; run < 50; run++) {
  generation.push(await time(() => generateMaze(64, `bench-${run}`)));
}

// Warm-up of both paths, then interleaved runs so drift hits both alike.
await sessions.createSession({ size, seed: 'warm-up' });
await createWithRowByRowInserts('warm-up');
const bulk: number[] = [];
const rowByRow: number[] = [];
for (let run = 0; run < runs; run++) {
  bulk.push(await time(() => sessions.createSession({ size, seed: `bulk-${run}` })));
  rowByRow.push(await time(() => createWithRowByRowInserts(`rows-${run}`)));
}

const database_kind = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
console.log(`generateMaze(64) median over 50: ${median(generation).toFixed(2)} ms`);
console.log(`create a ${size}×${size} session on ${database_kind}, median of ${runs}:`);
console.log(`  bulk insert (SessionService):  ${median(bulk).toFixed(1)} ms`);
console.log(`  one INSERT per tile (baseline): ${median(rowByRow).toFixed(1)} ms`);
console.log(`  ratio baseline / bulk: ${(median(rowByRow) / median(bulk)).toFixed(1)}×`);

await closeAllDatabases();
rmSync(dataDir, { recursive: true, force: true });
