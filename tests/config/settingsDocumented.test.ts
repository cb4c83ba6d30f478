import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { configSections } from '../../src/config.ts';
import { projectRoot } from '../../src/projectRoot.ts';

/** In the schema, but set by PM2 for each process: no operator writes them, so neither file lists them. */
const SET_BY_PM2 = ['NODE_APP_INSTANCE', 'instances'];

/**
 * Not in the schema, but operators set it: the file that reads it, and why it is documented in
 * docs/configuration.md only (not .env.example).
 */
const READ_ELSEWHERE = {
  INSTANCES: { readBy: 'ecosystem.config.js', why: 'PM2 reads it from the environment of `pm2 start`, never from a .env file' },
};

const ENV_EXAMPLE = '.env.example';
const CONFIGURATION_PAGE = 'docs/configuration.md';

/** A section's object of variables, under the transforms that rename and finish it. */
function variablesOf(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodPipe) return variablesOf(schema.in as z.ZodType);
  assert.ok(schema instanceof z.ZodObject, 'a section of src/config.ts is not an object of variables');
  return Object.keys(schema.shape);
}

/** Every variable the schema reads, from the sections' own shapes. */
const schemaVariables = Object.values(configSections).flatMap(variablesOf);

function read(file: string): string {
  return readFileSync(join(projectRoot, file), 'utf8');
}

/** `NAME=value` lines, also commented out (`# NAME=`). */
function envExampleVariables(): string[] {
  return [...read(ENV_EXAMPLE).matchAll(/^#? ?([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((match) => match[1]!);
}

/** The settings table's rows: ``| `NAME` | default | meaning |``. */
function configurationPageVariables(): string[] {
  return [...read(CONFIGURATION_PAGE).matchAll(/^\| `([A-Za-z_][A-Za-z0-9_]*)` \|/gm)].map((match) => match[1]!);
}

/** What `documented` lacks of `expected` and has beyond `allowed`, each as a sentence naming the variable and the file. */
function differences(file: string, documented: string[], expected: string[], allowed: string[]): string[] {
  return [
    ...expected.filter((name) => !documented.includes(name)).map((name) => `${name} is a setting (src/config.ts) that ${file} does not document`),
    ...documented.filter((name) => !allowed.includes(name)).map((name) => `${file} documents ${name}, which the server does not read`),
  ];
}

describe('every setting is documented', () => {
  const operatorSettings = schemaVariables.filter((name) => !SET_BY_PM2.includes(name));

  it('reads the variables from the schema itself', () => {
    // The lists below are only exceptions to it: make sure they still name what they claim.
    assert.ok(schemaVariables.includes('RECONNECT_SECONDS') && schemaVariables.includes('ADMIN_PASSWORD'), schemaVariables.join(', '));
    for (const name of SET_BY_PM2) assert.ok(schemaVariables.includes(name), `${name} is listed as set by PM2 but is not in the schema`);
    for (const [name, { readBy }] of Object.entries(READ_ELSEWHERE)) {
      assert.ok(!schemaVariables.includes(name), `${name} is listed as read elsewhere but the schema reads it`);
      assert.match(read(readBy), new RegExp(`process\\.env\\.${name}\\b`), `${readBy} no longer reads ${name}`);
    }
  });

  it(`in ${ENV_EXAMPLE}, as NAME= (or # NAME=)`, () => {
    assert.deepEqual(differences(ENV_EXAMPLE, envExampleVariables(), operatorSettings, operatorSettings), []);
  });

  it(`in the settings table of ${CONFIGURATION_PAGE}`, () => {
    const readElsewhere = Object.keys(READ_ELSEWHERE);
    const expected = [...operatorSettings, ...readElsewhere];
    assert.deepEqual(differences(CONFIGURATION_PAGE, configurationPageVariables(), expected, expected), []);
  });
});
