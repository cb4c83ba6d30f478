import { parse, CsvError } from 'csv-parse/sync';
import type { ZodType } from 'zod';
import { unsafeTextProblem } from '../untrustedInput.ts';
import { ContentFileError } from './ContentFileError.ts';
import {
  entityColumns,
  entityRowSchema,
  equipmentColumns,
  equipmentRowSchema,
  skillColumns,
  skillRowSchema,
  specialColumns,
  specialRowSchema,
} from './contentRows.ts';
import type { EntityRow, EquipmentRow, SkillRow, SpecialRow } from './contentRows.ts';

/** Text of the four reference content files, keyed by what they hold. */
export type ContentFiles = { entities: string; equipment: string; skills: string; specials: string };

/** Validated reference content, one array per file, in file order. */
export type ParsedContent = {
  entities: EntityRow[];
  equipment: EquipmentRow[];
  skills: SkillRow[];
  specials: SpecialRow[];
};

/** File name of each content file inside a content directory (e.g. `seed/`). */
export const contentFileNames = {
  entities: 'entities.csv',
  equipment: 'equipment.csv',
  skills: 'skills.csv',
  specials: 'specials.csv',
} as const satisfies Record<keyof ContentFiles, string>;

/**
 * Parses and validates the four content CSV files as one unit: headers must be
 * exactly the reference columns, every row must pass its schema, ids must be
 * unique within a file and every `entity_id` must name an entity. Either all
 * content is returned or a {@link ContentFileError} is thrown for the first
 * problem found, so callers never seed half a data set.
 */
export function parseContentFiles(files: ContentFiles): ParsedContent {
  const entities = parseTable(contentFileNames.entities, files.entities, entityColumns, entityRowSchema);
  assertUniqueIds(contentFileNames.entities, entities);
  const entityIds = new Set(entities.map(({ row }) => row.id));

  const equipment = parseTable(contentFileNames.equipment, files.equipment, equipmentColumns, equipmentRowSchema);
  assertUniqueIds(contentFileNames.equipment, equipment);
  assertOwnersExist(contentFileNames.equipment, equipment, entityIds);

  const skills = parseTable(contentFileNames.skills, files.skills, skillColumns, skillRowSchema);
  assertUniqueIds(contentFileNames.skills, skills);
  assertOwnersExist(contentFileNames.skills, skills, entityIds);

  const specials = parseTable(contentFileNames.specials, files.specials, specialColumns, specialRowSchema);
  assertUniqueIds(contentFileNames.specials, specials);
  assertOwnersExist(contentFileNames.specials, specials, entityIds);

  return {
    entities: entities.map(({ row }) => row),
    equipment: equipment.map(({ row }) => row),
    skills: skills.map(({ row }) => row),
    specials: specials.map(({ row }) => row),
  };
}

/** A validated row together with the line it starts on, kept for later cross-row checks. */
type LocatedRow<Row> = { row: Row; line: number };

/** One CSV record as raw cell strings, with the line it starts on. */
type CsvRecord = { cells: string[]; line: number };

function parseTable<Row>(file: string, text: string, columns: readonly string[], schema: ZodType<Row>): LocatedRow<Row>[] {
  const [header, ...records] = readCsvRecords(file, text);
  assertHeader(file, header, columns);
  return records.map(({ cells, line }) => {
    if (cells.length !== columns.length) {
      throw new ContentFileError(file, line, `expected ${columns.length} fields (${columns.join(',')}) but found ${cells.length}`);
    }
    const record = Object.fromEntries(columns.map((column, index) => [column, normalizeNewlines(cells[index] ?? '')]));
    assertSafeCells(file, line, record);
    const result = schema.safeParse(record);
    if (!result.success) {
      const issue = result.error.issues[0];
      const column = issue?.path[0];
      const reason = issue === undefined ? 'invalid row' : `${column === undefined ? 'row' : String(column)} ${issue.message}`;
      throw new ContentFileError(file, line, reason);
    }
    return { row: result.data, line };
  });
}

/**
 * Splits CSV text into records without interpreting the header (that is
 * {@link assertHeader}'s job). Line numbers are counted here from each record's
 * raw text instead of taken from csv-parse's `info.lines`, because csv-parse
 * counts a CRLF inside a quoted field as two lines and reports the line where a
 * record ends; we want the line where it starts.
 */
function readCsvRecords(file: string, text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let linesBeforeRecord = 0;
  try {
    parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      // Checked per row against the header instead, for a clearer message.
      relax_column_count: true,
      raw: true,
      // With `raw: true` csv-parse hands over `{ record, raw }`, not the string[] its typings claim.
      on_record: (rawRecord: unknown, context) => {
        const raw = context.raw ?? '';
        records.push({ cells: cellsOf(rawRecord), line: linesBeforeRecord + firstContentLineOffset(raw) + 1 });
        linesBeforeRecord += countLineBreaks(raw);
        return null; // collected above; nothing for csv-parse to keep
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // The failing record starts right after the last one that parsed.
    const raw = typeof error['raw'] === 'string' ? error['raw'] : '';
    const line = linesBeforeRecord + firstContentLineOffset(raw) + 1;
    throw new ContentFileError(file, line, describeCsvSyntaxError(error), { cause: error });
  }
  return records;
}

function cellsOf(rawRecord: unknown): string[] {
  const record = typeof rawRecord === 'object' && rawRecord !== null && 'record' in rawRecord ? rawRecord.record : rawRecord;
  if (!Array.isArray(record)) throw new TypeError('csv-parse returned a record that is not an array of cells');
  return record.map(String);
}

// csv-parse's own messages mention its line count, which can disagree with
// ours (see readCsvRecords), so the common cases get wording of our own.
const AFTER_CLOSING_QUOTE = 'unexpected text after a closing quote (a " inside a quoted field must be written "")';
const CSV_SYNTAX_WORDING: Partial<Record<CsvError['code'], string>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field starting in this row is never closed (missing closing ")',
  CSV_INVALID_CLOSING_QUOTE: AFTER_CLOSING_QUOTE,
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: AFTER_CLOSING_QUOTE,
};

function describeCsvSyntaxError(error: CsvError): string {
  return CSV_SYNTAX_WORDING[error.code] ?? `invalid CSV: ${error.message}`;
}

function assertHeader(file: string, header: CsvRecord | undefined, expected: readonly string[]): void {
  const expectedText = expected.join(',');
  if (header === undefined) {
    throw new ContentFileError(file, 1, `file is empty; expected the header "${expectedText}"`);
  }
  const found = header.cells;
  const unknown = found.find((name) => !expected.includes(name));
  if (unknown !== undefined) {
    throw new ContentFileError(file, header.line, `unknown column "${unknown}"; expected the header "${expectedText}"`);
  }
  const missing = expected.find((name) => !found.includes(name));
  if (missing !== undefined) {
    throw new ContentFileError(file, header.line, `missing column "${missing}"; expected the header "${expectedText}"`);
  }
  if (found.join(',') !== expectedText) {
    throw new ContentFileError(file, header.line, `columns must be exactly "${expectedText}" in this order, found "${found.join(',')}"`);
  }
}

/**
 * Cells go to PostgreSQL `text` columns, which refuse NUL, and to API answers: control characters
 * (line breaks and tabs aside, which quoted descriptions may hold) and lone surrogates stop the
 * start with the file, line and column, instead of failing the import in the database.
 */
function assertSafeCells(file: string, line: number, record: Record<string, string>): void {
  for (const [column, value] of Object.entries(record)) {
    const problem = unsafeTextProblem(value, { lineBreaks: true });
    if (problem) throw new ContentFileError(file, line, `${column} ${problem}`);
  }
}

function assertUniqueIds(file: string, rows: readonly LocatedRow<{ id: string }>[]): void {
  const firstLineById = new Map<string, number>();
  for (const { row, line } of rows) {
    const firstLine = firstLineById.get(row.id);
    if (firstLine !== undefined) {
      throw new ContentFileError(file, line, `duplicate id ${JSON.stringify(row.id)} (first used on line ${firstLine})`);
    }
    firstLineById.set(row.id, line);
  }
}

function assertOwnersExist(file: string, rows: readonly LocatedRow<{ entityId: string }>[], entityIds: ReadonlySet<string>): void {
  for (const { row, line } of rows) {
    if (!entityIds.has(row.entityId)) {
      throw new ContentFileError(file, line, `entity_id ${JSON.stringify(row.entityId)} does not match any entity`);
    }
  }
}

const lineBreak = /\r\n|\r|\n/g;

function countLineBreaks(text: string): number {
  return text.match(lineBreak)?.length ?? 0;
}

/** Blank lines skipped before a record are included in its raw text; count them. */
function firstContentLineOffset(raw: string): number {
  const leadingBlankLines = /^(?:[ \t]*(?:\r\n|\r|\n))*/.exec(raw)?.[0] ?? '';
  return countLineBreaks(leadingBlankLines);
}

// A field typed in a Windows editor carries CRLF; content should not depend on that.
function normalizeNewlines(value: string): string {
  return value.replace(lineBreak, '\n');
}
