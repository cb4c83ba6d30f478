import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ContentFileError } from './ContentFileError.ts';
import { contentFileNames, parseContentFiles } from './parseContentCsv.ts';
import type { ContentFiles, ParsedContent } from './parseContentCsv.ts';

/**
 * Reads `entities.csv`, `equipment.csv`, `skills.csv` and `specials.csv` from
 * `dir` and validates them together with {@link parseContentFiles}. Throws a
 * {@link ContentFileError} for content problems, including a file that is not
 * UTF-8; a missing file surfaces as the usual fs error naming its path.
 */
export async function readContentDirectory(dir: string): Promise<ParsedContent> {
  const readContentFile = async (key: keyof ContentFiles): Promise<string> => {
    const file = contentFileNames[key];
    return decodeUtf8(file, await readFile(join(dir, file)));
  };
  const [entities, equipment, skills, specials] = await Promise.all([
    readContentFile('entities'),
    readContentFile('equipment'),
    readContentFile('skills'),
    readContentFile('specials'),
  ]);
  return parseContentFiles({ entities, equipment, skills, specials });
}

/**
 * Spreadsheet tools happily export Windows-1252, which would silently turn
 * typographic quotes and em dashes into replacement characters; refuse it
 * instead, pointing at the first bad line. The BOM is left for the parser.
 */
function decodeUtf8(file: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (error) {
    const lenient = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    const badIndex = Math.max(0, lenient.indexOf('\uFFFD'));
    const line = lenient.slice(0, badIndex).split(/\r\n|\r|\n/).length;
    throw new ContentFileError(file, line, 'file is not valid UTF-8 (export it as "CSV UTF-8")', { cause: error });
  }
}
