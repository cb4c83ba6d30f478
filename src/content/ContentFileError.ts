/**
 * A problem in one of the reference content CSV files, pinned to the file and
 * the 1-based line where it was found (the header is line 1), so whoever edits
 * the spreadsheet can jump straight to the offending row.
 */
export class ContentFileError extends Error {
  override name = 'ContentFileError';
  /** File name as it appears in the content directory, e.g. `equipment.csv`. */
  readonly file: string;
  /** 1-based line in the file; for a record spanning several lines, its first line. */
  readonly line: number;
  /** The problem itself, without the file/line prefix. */
  readonly reason: string;

  constructor(file: string, line: number, reason: string, options?: ErrorOptions) {
    super(`${file} line ${line}: ${reason}`, options);
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}
