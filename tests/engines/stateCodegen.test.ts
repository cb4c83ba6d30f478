import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CODEGEN_TARGETS, generateStateTypes, type CodegenTarget } from '../../scripts/codegen.ts';
import { LabyrinthState } from '../../rooms/schema/LabyrinthState.ts';

// `npm run codegen` (scripts/codegen.ts, @colyseus/schema's schema-codegen) must give engine
// developers every class and field of the room state, as the server encodes it: checked against
// the state's own runtime definition, so a state that changes in a way the generator does not see
// fails here.

/** A field as the server encodes it: its index, name and type (a child class or element type for collections). */
type StateField = { index: number; name: string; type: string; child?: string };
type SchemaClass = { name: string; [Symbol.metadata]?: Record<string, { index: number; name: string; type: unknown }> };

/** Every class reachable from the root state, with its fields in index order, from @colyseus/schema's metadata. */
function stateClasses(root: SchemaClass): Map<string, StateField[]> {
  const classes = new Map<string, StateField[]>();
  const visit = (schema: SchemaClass): void => {
    if (classes.has(schema.name)) return;
    const fields: StateField[] = [];
    classes.set(schema.name, fields);
    for (const [key, field] of Object.entries(schema[Symbol.metadata] ?? {})) {
      if (!/^\d+$/.test(key)) continue;
      if (typeof field.type === 'string') {
        fields.push({ index: field.index, name: field.name, type: field.type });
        continue;
      }
      const [collection, element] = Object.entries(field.type as Record<string, unknown>)[0]!;
      if (typeof element === 'string') {
        fields.push({ index: field.index, name: field.name, type: collection, child: element });
      } else {
        const child = element as SchemaClass;
        fields.push({ index: field.index, name: field.name, type: collection, child: child.name });
        visit(child);
      }
    }
    fields.sort((a, b) => a.index - b.index);
  };
  visit(root);
  return classes;
}

/** How each target declares a field named `name`, so a field is found where it is declared, in declaration order. */
const DECLARATIONS: Record<CodegenTarget, (name: string) => RegExp> = {
  csharp: (name) => new RegExp(`public [^=\\n]+ ${name} =`),
  cpp: (name) => new RegExp(`[ *]${name} = `),
  haxe: (name) => new RegExp(`public var ${name}:`),
  ts: (name) => new RegExp(`public ${name}[!:]`),
  js: (name) => new RegExp(`prototype, "${name}"\\)`),
  java: (name) => new RegExp(`public [\\w<>]+ ${name} =`),
  lua: (name) => new RegExp(`\\["${name}"\\] =`),
  c: (name) => new RegExp(`\\{\\d+, "${name}",`),
  gdscript: (name) => new RegExp(`Field\\.new\\("${name}"`),
  dart: (name) => new RegExp(` get ${name} =>`),
  swift: (name) => new RegExp(`public var ${name}:`),
};

/** The generated file of a class: `PlayerState.cs`, or `player_state.h` for C. */
function fileOf(className: string, files: string[]): string | undefined {
  const plain = (name: string) => basename(name).split('.')[0]!.replaceAll('_', '').toLowerCase();
  return files.find((file) => plain(file) === className.toLowerCase());
}

/**
 * What the generated sources (by file name) of `target` lack of the state: a class without its
 * file, a field its class's file does not declare, or fields declared out of their index order.
 */
function problemsIn(target: CodegenTarget, classes: Map<string, StateField[]>, sources: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const [className, fields] of classes) {
    const file = fileOf(className, [...sources.keys()]);
    if (!file) {
      problems.push(`no file for ${className}`);
      continue;
    }
    const text = sources.get(file)!;
    const positions = fields.map((field) => text.search(DECLARATIONS[target](field.name)));
    fields.forEach((field, at) => positions[at]! < 0 && problems.push(`${className}.${field.name} missing from ${file}`));
    const found = positions.filter((position) => position >= 0);
    if (found.some((position, at) => at > 0 && position < found[at - 1]!)) problems.push(`${file} declares the fields of ${className} out of order`);
  }
  return problems;
}

describe('state types for other engines (npm run codegen)', function () {
  this.timeout(60_000);
  const classes = stateClasses(LabyrinthState);
  let scratch: string;
  const generated = new Map<CodegenTarget, Map<string, string>>();

  function sourcesFor(target: CodegenTarget): Map<string, string> {
    let sources = generated.get(target);
    if (!sources) {
      const folder = join(scratch, target);
      sources = new Map(generateStateTypes(target, folder, 'Labyrinth.Schema').map((file) => [file, readFileSync(join(folder, file), 'utf8')]));
      generated.set(target, sources);
    }
    return sources;
  }

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'labyrinth-codegen-'));
  });
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('reads the state it checks against from the schema itself', () => {
    assert.deepEqual([...classes.keys()].sort(), ['ChatLine', 'LabyrinthState', 'PlayerState', 'RevealedTile', 'SpectatorState']);
    assert.equal(classes.get('LabyrinthState')!.length, 19);
  });

  for (const target of CODEGEN_TARGETS) {
    it(`${target}: a file for every state class, declaring every field in order`, () => {
      assert.deepEqual(problemsIn(target, classes, sourcesFor(target)), []);
    });
  }

  it('C# (Unity): every field at the index and with the type the server encodes it with', () => {
    for (const [className, fields] of classes) {
      const source = sourcesFor('csharp').get(`${className}.cs`);
      assert.ok(source, `${className}.cs`);
      assert.match(source, /namespace Labyrinth\.Schema/);
      const declared = [
        ...source.matchAll(/Type\((\d+), "(\w+)"(?:, typeof\([\w.:]+<(?:global::[\w.]+\.)?(\w+)>\)(?:, "\w+")?)?\)\]\s+public [^=]+?\b(\w+) =/g),
      ].map(([, index, type, child, name]) => ({
        index: Number(index),
        name: name!,
        type: type!,
        ...(child ? { child: child === 'string' ? 'string' : child } : {}),
      }));
      assert.deepEqual(declared, fields, className);
    }
  });

  it('finds a field or a class the generated files lack', () => {
    const sources = new Map(sourcesFor('csharp'));
    sources.set('PlayerState.cs', sources.get('PlayerState.cs')!.replace(/^.*\bcharacterRole\b.*$/gm, ''));
    sources.delete('ChatLine.cs');
    assert.deepEqual(problemsIn('csharp', classes, sources), ['PlayerState.characterRole missing from PlayerState.cs', 'no file for ChatLine']);
  });
});
