/**
 * Generates the room state's classes for another engine's Colyseus SDK with @colyseus/schema's own
 * `schema-codegen`, from rooms/schema/LabyrinthState.ts (docs/engines.md):
 *
 *   npm run codegen -- --csharp Assets/Scripts/Labyrinth [--namespace Labyrinth.Schema]
 *   npm run codegen -- --all generated/         (one folder per target)
 *
 * Targets: --csharp (Unity), --cpp, --haxe, --ts, --js, --java, --lua, --c, --gdscript (Godot),
 * --dart, --swift. The folder is created if it does not exist.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { projectRoot } from '../src/projectRoot.ts';

/** schema-codegen's targets (its `--<target>` flags). */
export const CODEGEN_TARGETS = ['csharp', 'cpp', 'haxe', 'ts', 'js', 'java', 'lua', 'c', 'gdscript', 'dart', 'swift'] as const;
export type CodegenTarget = (typeof CODEGEN_TARGETS)[number];

/** The file that declares every class of the room state. */
export const STATE_SOURCE = join(projectRoot, 'rooms', 'schema', 'LabyrinthState.ts');

/** The package's `schema-codegen` command (its package.json is not exported: found from its entry, build/index.cjs). */
const SCHEMA_CODEGEN = join(dirname(dirname(createRequire(import.meta.url).resolve('@colyseus/schema'))), 'bin', 'schema-codegen');

/** Writes the state's classes for `target` into `outputDir` (created if needed); returns the files written. */
export function generateStateTypes(target: CodegenTarget, outputDir: string, namespace?: string): string[] {
  mkdirSync(outputDir, { recursive: true });
  const args = [SCHEMA_CODEGEN, STATE_SOURCE, '--output', outputDir, `--${target}`, ...(namespace ? ['--namespace', namespace] : [])];
  const run = spawnSync(process.execPath, args, { cwd: projectRoot, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`schema-codegen --${target} failed:\n${run.stdout}${run.stderr}`);
  // It names each file it writes: `generated: PlayerState.cs`.
  return [...run.stdout.matchAll(/^generated: (.+)$/gm)].map((match) => match[1]!.trim());
}

function usage(problem: string): never {
  console.error(`${problem}\nusage: npm run codegen -- --<target> <folder> [--namespace <name>]   (or --all <folder>)`);
  console.error(`targets: ${CODEGEN_TARGETS.join(', ')}`);
  process.exit(1);
}

function main(args: string[]): void {
  const namespaceAt = args.indexOf('--namespace');
  const namespace = namespaceAt >= 0 ? args[namespaceAt + 1] : undefined;
  if (namespaceAt >= 0 && !namespace) usage('--namespace needs a name');
  const rest = namespaceAt >= 0 ? args.filter((_, index) => index !== namespaceAt && index !== namespaceAt + 1) : args;
  const flags = rest.filter((arg) => arg.startsWith('--')).map((flag) => flag.slice(2));
  const [folder, ...extra] = rest.filter((arg) => !arg.startsWith('--'));
  if (!folder || extra.length > 0) usage('name one output folder');
  const isTarget = (flag: string): flag is CodegenTarget => (CODEGEN_TARGETS as readonly string[]).includes(flag);
  const unknown = flags.find((flag) => flag !== 'all' && !isTarget(flag));
  if (unknown) usage(`unknown target --${unknown}`);
  const all = flags.includes('all');
  const targets = all ? [...CODEGEN_TARGETS] : flags.filter(isTarget);
  if (targets.length === 0) usage('name a target');
  for (const target of targets) {
    const outputDir = resolve(process.env.INIT_CWD ?? process.cwd(), folder, all || targets.length > 1 ? target : '');
    const files = generateStateTypes(target, outputDir, namespace);
    console.log(`${target}: ${files.join(', ')} in ${outputDir}`);
  }
}

if (import.meta.main) main(process.argv.slice(2));
