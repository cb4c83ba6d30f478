import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContentFileError } from '../../src/content/ContentFileError.ts';
import { contentFileNames, parseContentFiles } from '../../src/content/parseContentCsv.ts';
import type { ContentFiles } from '../../src/content/parseContentCsv.ts';
import { readContentDirectory } from '../../src/content/readContentDirectory.ts';

const seedDir = fileURLToPath(new URL('../../seed/', import.meta.url));

/** Joins CSV lines with LF and a trailing newline, like a file saved by an editor. */
function csv(...lines: string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

/** A small valid content set; each test breaks one thing in it. Comments give line numbers. */
function validFiles(): ContentFiles {
  return {
    entities: csv(
      'id,name,type,age,role,backstory_path,portrait_path', // 1
      'hero_ada,Ada Lark,player,30,Scout,backstories/hero_ada.md,portraits/hero_ada.png', // 2
      'foe_bull,The Bull,enemy,—,Guardian of the centre,,', // 3
      'npc_keeper,The Keeper,npc,—,Keeper of keys,,', // 4
    ),
    equipment: csv(
      'id,entity_id,name,description', // 1
      'eq_ada_rope,hero_ada,Rope,A coil of rope.', // 2
      'eq_ada_lamp,hero_ada,Lamp,A small lamp.', // 3
    ),
    skills: csv(
      'id,entity_id,name,description', // 1
      'sk_ada_run,hero_ada,Run,Ada runs.', // 2
      'sk_ada_hide,hero_ada,Hide,Ada hides.', // 3
    ),
    specials: csv(
      'id,entity_id,description', // 1
      'sp_ada_luck,hero_ada,Ada finds the exit once per game.', // 2
    ),
  };
}

function expectContentError(parseFiles: () => unknown, expected: { file: string; line: number; message: RegExp }): void {
  assert.throws(parseFiles, (error: unknown) => {
    assert.ok(error instanceof ContentFileError, `expected a ContentFileError, got ${String(error)}`);
    assert.equal(error.file, expected.file);
    assert.equal(error.line, expected.line, `wrong line in: ${error.message}`);
    assert.ok(error.message.startsWith(`${expected.file} line ${expected.line}: `), error.message);
    assert.match(error.message, expected.message);
    return true;
  });
}

describe('reference content CSV', () => {
  describe('committed seed/ files', () => {
    it('parse with the expected counts, and every player has equipment, skills and a special', async () => {
      const content = await readContentDirectory(seedDir);
      assert.equal(content.entities.length, 15);
      assert.equal(content.equipment.length, 15);
      assert.equal(content.skills.length, 18);
      assert.equal(content.specials.length, 9);

      const countOf = (type: string) => content.entities.filter((entity) => entity.type === type).length;
      assert.equal(countOf('player'), 7);
      assert.equal(countOf('enemy'), 5);
      assert.equal(countOf('npc'), 3);

      for (const player of content.entities.filter((entity) => entity.type === 'player')) {
        const owned = (rows: readonly { entityId: string }[]) => rows.filter((row) => row.entityId === player.id).length;
        assert.ok(owned(content.equipment) >= 2, `${player.id} needs at least 2 equipment items`);
        assert.ok(owned(content.skills) >= 2, `${player.id} needs at least 2 skills`);
        assert.ok(owned(content.specials) >= 1, `${player.id} needs a special`);
      }
    });

    it('keep typographic quotes, apostrophes, em dashes and RFC 4180 quoting intact', async () => {
      const content = await readContentDirectory(seedDir);
      const orrin = content.entities.find((entity) => entity.id === 'hero_orrin');
      assert.deepEqual(orrin, {
        id: 'hero_orrin',
        name: 'Orrin "Old Compass" Hale',
        type: 'player',
        age: '67',
        role: 'Retired surveyor, “never wrong, only early”',
        backstoryPath: 'backstories/hero_orrin.md',
        portraitPath: 'portraits/hero_orrin.png',
      });
      const wraith = content.entities.find((entity) => entity.id === 'foe_mortar_wraith');
      assert.equal(wraith?.age, '—');
      assert.equal(wraith?.role, 'A ghost bricked into the walls — it wants company');
      assert.equal(wraith?.backstoryPath, null);
      const chain = content.equipment.find((item) => item.id === 'eq_orrin_chain');
      assert.equal(chain?.name, 'Surveyor’s Chain');
      assert.equal(chain?.description, 'Twenty-two yards of iron chain, marked every link, for measuring corridors the old way.');
      const recall = content.specials.find((special) => special.id === 'sp_orrin_recall');
      assert.match(recall?.description ?? '', /— “I’ve been there, I tell you” —/);
    });

    it('start with exactly the reference header rows', async () => {
      const headers = {
        entities: 'id,name,type,age,role,backstory_path,portrait_path',
        equipment: 'id,entity_id,name,description',
        skills: 'id,entity_id,name,description',
        specials: 'id,entity_id,description',
      };
      for (const [key, header] of Object.entries(headers)) {
        const text = await readFile(join(seedDir, contentFileNames[key as keyof ContentFiles]), 'utf8');
        assert.equal(text.split('\n')[0], header);
      }
    });
  });

  describe('parsing', () => {
    it('accepts the valid fixture and maps columns to camelCase rows', () => {
      const content = parseContentFiles(validFiles());
      assert.deepEqual(content.entities[2], {
        id: 'npc_keeper',
        name: 'The Keeper',
        type: 'npc',
        age: '—',
        role: 'Keeper of keys',
        backstoryPath: null,
        portraitPath: null,
      });
      assert.deepEqual(content.equipment[0], {
        id: 'eq_ada_rope',
        entityId: 'hero_ada',
        name: 'Rope',
        description: 'A coil of rope.',
      });
      assert.deepEqual(content.specials[0], {
        id: 'sp_ada_luck',
        entityId: 'hero_ada',
        description: 'Ada finds the exit once per game.',
      });
    });

    it('handles quoted commas, doubled quotes and newlines, and trims cells', () => {
      const files = validFiles();
      files.equipment = csv(
        'id,entity_id,name,description',
        '  eq_ada_rope , hero_ada ,"Rope, Knotted","Said to be ""unbreakable"" — it isn’t."',
        'eq_ada_map,hero_ada,Map,"First line,',
        'second line',
        '“third” line"',
      );
      const [rope, map] = parseContentFiles(files).equipment;
      assert.deepEqual(rope, {
        id: 'eq_ada_rope',
        entityId: 'hero_ada',
        name: 'Rope, Knotted',
        description: 'Said to be "unbreakable" — it isn’t.',
      });
      assert.equal(map?.description, 'First line,\nsecond line\n“third” line');
    });

    it('counts lines correctly after multi-line fields, blank lines and CRLF', () => {
      const files = validFiles();
      files.skills = [
        'id,entity_id,name,description', // 1
        'sk_ada_run,hero_ada,Run,"Ada runs', // 2
        'and runs', // 3
        'and runs."', // 4
        '', // 5
        'sk_ada_hide,hero_ada,Hide,Ada hides.', // 6
        'sk_ghost,nobody,Haunt,"Boo', // 7
        '"', // 8
      ].join('\r\n');
      expectContentError(() => parseContentFiles(files), {
        file: 'skills.csv',
        line: 7,
        message: /entity_id "nobody" does not match any entity/,
      });
    });

    it('normalises CRLF inside quoted fields to LF', () => {
      const files = validFiles();
      files.specials = 'id,entity_id,description\r\nsp_ada_luck,hero_ada,"One\r\nTwo"\r\n';
      assert.equal(parseContentFiles(files).specials[0]?.description, 'One\nTwo');
    });

    it('accepts a UTF-8 byte order mark', () => {
      const files = validFiles();
      files.entities = `\uFEFF${files.entities}`;
      files.specials = `\uFEFF${files.specials.replaceAll('\n', '\r\n')}`;
      const content = parseContentFiles(files);
      assert.equal(content.entities[0]?.id, 'hero_ada');
      assert.equal(content.specials[0]?.id, 'sp_ada_luck');
    });
  });

  describe('rejects bad content with file and line', () => {
    const unsafeCells: [string, string][] = [
      ['a NUL', 'Rope\u0000'],
      ['an escape character', '\u001b[31mRope'],
      ['a C1 control character', 'Ro\u0085pe'],
      // No lone surrogate case: files are decoded as strict UTF-8 (see readContentDirectory), which cannot hold one.
    ];
    for (const [label, name] of unsafeCells) {
      it(`a cell with ${label}, naming its column (PostgreSQL text refuses NUL)`, () => {
        const files = validFiles();
        files.equipment = files.equipment.replace('Lamp,', `${name},`);
        expectContentError(() => parseContentFiles(files), { file: 'equipment.csv', line: 3, message: /name must not contain/ });
      });
    }

    it('a quoted cell may hold line breaks and tabs', () => {
      const files = validFiles();
      files.equipment = files.equipment.replace('A small lamp.', '"A small\n\tlamp."');
      assert.equal(parseContentFiles(files).equipment[1]!.description, 'A small\n\tlamp.');
    });

    it('a wrongly named header column', () => {
      const files = validFiles();
      files.equipment = files.equipment.replace('entity_id', 'owner_id');
      expectContentError(() => parseContentFiles(files), {
        file: 'equipment.csv',
        line: 1,
        message: /unknown column "owner_id"/,
      });
    });

    it('a missing column', () => {
      const files = validFiles();
      files.entities = csv('id,name,type,age,role,backstory_path', 'hero_ada,Ada Lark,player,30,Scout,backstories/hero_ada.md');
      expectContentError(() => parseContentFiles(files), {
        file: 'entities.csv',
        line: 1,
        message: /missing column "portrait_path"/,
      });
    });

    it('columns in the wrong order', () => {
      const files = validFiles();
      files.specials = csv('entity_id,id,description', 'hero_ada,sp_ada_luck,Luck.');
      expectContentError(() => parseContentFiles(files), {
        file: 'specials.csv',
        line: 1,
        message: /in this order/,
      });
    });

    it('an empty file', () => {
      const files = validFiles();
      files.skills = '';
      expectContentError(() => parseContentFiles(files), { file: 'skills.csv', line: 1, message: /file is empty/ });
    });

    it('a row with too few fields', () => {
      const files = validFiles();
      files.skills = csv('id,entity_id,name,description', 'sk_ada_run,hero_ada,Run,Ada runs.', 'sk_ada_hide,hero_ada,Hide');
      expectContentError(() => parseContentFiles(files), {
        file: 'skills.csv',
        line: 3,
        message: /expected 4 fields .* but found 3/,
      });
    });

    it('an unknown entity type', () => {
      const files = validFiles();
      files.entities = files.entities.replace('foe_bull,The Bull,enemy', 'foe_bull,The Bull,boss');
      expectContentError(() => parseContentFiles(files), {
        file: 'entities.csv',
        line: 3,
        message: /type must be one of player, enemy, npc \(got "boss"\)/,
      });
    });

    it('a duplicate id', () => {
      const files = validFiles();
      files.equipment = files.equipment.replace('eq_ada_lamp', 'eq_ada_rope');
      expectContentError(() => parseContentFiles(files), {
        file: 'equipment.csv',
        line: 3,
        message: /duplicate id "eq_ada_rope" \(first used on line 2\)/,
      });
    });

    it('an entity_id that matches no entity', () => {
      const files = validFiles();
      files.specials = csv('id,entity_id,description', 'sp_ada_luck,hero_ada,Luck.', 'sp_x,x,Nothing.');
      expectContentError(() => parseContentFiles(files), {
        file: 'specials.csv',
        line: 3,
        message: /^specials\.csv line 3: entity_id "x" does not match any entity$/,
      });
    });

    it('an empty name', () => {
      const files = validFiles();
      files.entities = files.entities.replace('npc_keeper,The Keeper,', 'npc_keeper,  ,');
      expectContentError(() => parseContentFiles(files), {
        file: 'entities.csv',
        line: 4,
        message: /name must not be empty/,
      });
    });

    it('an empty id', () => {
      const files = validFiles();
      files.skills = files.skills.replace('sk_ada_hide,', ',');
      expectContentError(() => parseContentFiles(files), { file: 'skills.csv', line: 3, message: /id must not be empty/ });
    });

    it('an asset path that escapes the content directory', () => {
      const files = validFiles();
      files.entities = files.entities.replace('portraits/hero_ada.png', '../secrets.png');
      expectContentError(() => parseContentFiles(files), {
        file: 'entities.csv',
        line: 2,
        message: /portrait_path must be a relative path/,
      });
    });

    it('an unclosed quote, reported on the line where its row starts', () => {
      const files = validFiles();
      files.equipment = csv(
        'id,entity_id,name,description', // 1
        'eq_ada_rope,hero_ada,Rope,A coil of rope.', // 2
        '', // 3
        'eq_ada_lamp,hero_ada,Lamp,"A small lamp.', // 4
        'eq_ada_cloak,hero_ada,Cloak,A grey cloak.', // 5
      );
      expectContentError(() => parseContentFiles(files), {
        file: 'equipment.csv',
        line: 4,
        message: /never closed/,
      });
    });

    it('stray text after a closing quote', () => {
      const files = validFiles();
      files.skills = csv('id,entity_id,name,description', 'sk_ada_run,hero_ada,"Run" fast,Ada runs.');
      expectContentError(() => parseContentFiles(files), { file: 'skills.csv', line: 2, message: /closing quote/ });
    });

    it('returns nothing when only a later file is broken', () => {
      const files = validFiles();
      files.specials = csv('id,entity_id,description', 'sp_x,nobody,Nothing.');
      let content: unknown;
      assert.throws(() => {
        content = parseContentFiles(files);
      }, ContentFileError);
      assert.equal(content, undefined);
    });
  });

  describe('readContentDirectory', () => {
    let dir = '';

    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'labyrinth-content-'));
      const files = validFiles();
      for (const key of Object.keys(contentFileNames) as (keyof ContentFiles)[]) {
        await writeFile(join(dir, contentFileNames[key]), files[key], 'utf8');
      }
    });

    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('reads and parses the four files of a directory', async () => {
      const content = await readContentDirectory(dir);
      assert.equal(content.entities.length, 3);
      assert.equal(content.specials.length, 1);
    });

    it('rejects a file that is not UTF-8, naming the line', async () => {
      const latin1 = Buffer.from(
        'id,entity_id,name,description\neq_ada_rope,hero_ada,Rope,A coil of rope.\neq_ada_lamp,hero_ada,Lamp,Caf\xe9 lamp.\n',
        'latin1',
      );
      await writeFile(join(dir, 'equipment.csv'), latin1);
      await assert.rejects(readContentDirectory(dir), (error: unknown) => {
        assert.ok(error instanceof ContentFileError);
        assert.equal(error.file, 'equipment.csv');
        assert.equal(error.line, 3);
        assert.match(error.message, /not valid UTF-8/);
        return true;
      });
    });
  });
});
