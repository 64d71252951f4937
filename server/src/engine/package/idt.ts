// Reads a folder of .idt files — Windows Installer text archive tables, as written by
// `msidb -e`, Orca's export or `msiinfo export` — into the common Database model.
//
// Format (Windows Installer "Archive File Format"; msitools' import/export):
//   line 1  column names, tab-separated
//   line 2  column definitions: s72 / S72 string, l0 / L0 localizable string, i2 / i4 / I2 / I4
//           integer, v0 / V0 binary; lower case = not nullable
//   line 3  table name then its primary key columns; a file with non-ASCII data puts the
//           numeric code page first ("1252<TAB>Property<TAB>Property")
//   line 4… rows. Control characters inside values are written as other control characters
//           (see CONTROL_CHARACTERS). A binary cell names a file in the folder <Table>/.
// Special files: _ForceCodepage.idt (two blank lines, then "<codepage><TAB>_ForceCodepage") and
// _SummaryInformation.idt (rows "<property id><TAB><value>").
//
// Lines end with CRLF; LF alone is accepted. Nothing here throws: what cannot be read becomes a
// problem with its file and line, and the rest of the folder is still read.
import * as l10n from '@vscode/l10n';
import * as path from 'path';
import type { FileSystem } from '../fs';
import type { BinaryCell, CellValue, Column, Database, Row, SummaryInformation, Table } from './database';

export interface IdtProblem {
  /** The .idt file (or binary cell file) concerned. */
  file: string;
  /** 0-based line in `file`. */
  line: number;
  message: string;
}

export interface IdtReadResult {
  database: Database;
  problems: IdtProblem[];
}

export const IDT_EXTENSION = '.idt';

/** Characters an export replaces so that values cannot break the tab/line structure. */
const CONTROL_CHARACTERS: Record<string, string> = {
  '\x15': '\0', // NUL
  '\x1b': '\b', // BS
  '\x10': '\t', // HT
  '\x19': '\n', // LF
  '\x18': '\f', // FF
  '\x11': '\r', // CR
};
const ESCAPED_CONTROL = /[\x10\x11\x15\x18\x19\x1b]/g;

const FORCE_CODEPAGE = '_ForceCodepage';
/** Longer than any table or column name Windows Installer accepts (its identifiers are a few dozen characters at most). */
const MAX_NAME_LENGTH = 64;
const SUMMARY_INFORMATION = '_SummaryInformation';

/** Whether `name` is an .idt file name. */
export function isIdtFileName(name: string): boolean {
  return name.toLowerCase().endsWith(IDT_EXTENSION);
}

function isForceCodepageFile(file: string): boolean {
  return path.basename(file).toLowerCase() === `${FORCE_CODEPAGE.toLowerCase()}${IDT_EXTENSION}`;
}

/** A folder is an .idt database when it holds at least one .idt file. */
export function isIdtFolder(fs: FileSystem, folder: string): boolean {
  if (!fs.isDirectory(folder)) return false;
  return fs.readDirectory(folder).some((entry) => entry.isFile && isIdtFileName(entry.name));
}

/**
 * Reads the .idt files of `folder` (all of them, or only `files`: paths absolute or relative to
 * the folder) as one database. Binary cells are read lazily, when asked for.
 */
export function readIdtDatabase(fs: FileSystem, folder: string, files?: string[]): IdtReadResult {
  const problems: IdtProblem[] = [];
  const database: Database = { path: folder, kind: 'idt', tables: new Map(), summary: {} };

  const paths = files
    ? files.map((file) => path.resolve(folder, file))
    : fs
        .readDirectory(folder)
        .filter((entry) => entry.isFile && isIdtFileName(entry.name))
        .map((entry) => path.join(folder, entry.name))
        .sort();
  // The forced code page decides how the other files' bytes are decoded: read it first.
  paths.sort((a, b) => Number(isForceCodepageFile(b)) - Number(isForceCodepageFile(a)));

  // Which file defined each table, to name it when another file defines the table again.
  const definedIn = new Map<string, string>();
  for (const file of paths) {
    try {
      readIdtFile(fs, folder, file, database, definedIn, problems);
    } catch (error) {
      // A bug or a file system failure must not take the whole folder down.
      problems.push({ file, line: 0, message: l10n.t('cannot read this table: {0}', error instanceof Error ? error.message : String(error)) });
    }
  }
  return { database, problems };
}

function readIdtFile(
  fs: FileSystem,
  folder: string,
  file: string,
  database: Database,
  definedIn: Map<string, string>,
  problems: IdtProblem[],
): void {
  const problem = (line: number, message: string): void => {
    problems.push({ file, line, message });
  };

  const text = readText(fs, file, database.codepage);
  if (text === undefined) {
    problem(0, l10n.t('cannot read the file'));
    return;
  }
  const lines = splitLines(text);

  const forced = forcedCodepage(lines);
  if (forced !== undefined) {
    if (forced === null) problem(2, l10n.t('{0}: the code page must be a number', FORCE_CODEPAGE));
    else database.codepage = forced;
    return;
  }

  if (lines.length < 3) {
    problem(Math.max(0, lines.length - 1), l10n.t('not a table: an .idt file starts with three lines (column names, column definitions, table name and keys)'));
    return;
  }

  const names = splitCells(lines[0]);
  const definitions = splitCells(lines[1]);
  const labels = splitCells(lines[2]);

  // Line 3 may start with the table's code page.
  let codepage: number | undefined;
  if (labels.length > 1 && /^\d+$/.test(labels[0])) {
    codepage = Number(labels[0]);
    labels.shift();
  }
  const tableName = labels[0];
  const keyNames = labels.slice(1);

  if (!tableName) {
    problem(2, l10n.t('line 3 must start with the table name'));
    return;
  }
  // Problems on rows quote the table and column names: one very long name, quoted for each of
  // thousands of rows, would fill the editor's memory. Windows Installer names are short.
  const longName = [tableName, ...names].find((name) => name.length > MAX_NAME_LENGTH);
  if (longName !== undefined) {
    problem(longName === tableName ? 2 : 0, l10n.t('a name of {0} characters ("{1}…"): not a table, whose table and column names are short identifiers', longName.length, longName.slice(0, 40)));
    return;
  }
  if (names.length !== definitions.length) {
    problem(1, l10n.t('{0} column names on line 1 but {1} column definitions on line 2', names.length, definitions.length));
    return;
  }

  const columns: Column[] = [];
  let columnsOk = true;
  names.forEach((name, index) => {
    const column = parseColumn(name, definitions[index], keyNames.includes(name));
    if (typeof column === 'string') {
      problem(1, column);
      columnsOk = false;
    } else {
      if (!name) {
        problem(0, l10n.t('column {0} has no name', index + 1));
        columnsOk = false;
      }
      if (column.type === 'integer' && column.size !== 2 && column.size !== 4) {
        problem(1, l10n.t('column {0}: integer width {1}; Windows Installer integers are 2 (i2) or 4 (i4) bytes', name, column.size));
      }
      columns.push(column);
    }
  });
  if (!columnsOk) return;
  // Sets, not searches of the list: a table of 100 000 columns took seconds the other way.
  const known = new Set(names);
  for (const key of keyNames) {
    if (!known.has(key)) problem(2, l10n.t('key column {0} is not a column of {1}', key, tableName));
  }
  const seen = new Set<string>();
  // The first name whose adding does not grow the set.
  const duplicate = names.find((name) => seen.size === seen.add(name).size);
  if (duplicate !== undefined) {
    problem(0, l10n.t('column {0} appears twice', duplicate));
    return;
  }

  if (tableName === SUMMARY_INFORMATION) {
    readSummaryInformation(lines, file, database.summary, problems);
    return;
  }

  const earlier = definedIn.get(tableName);
  if (earlier !== undefined) {
    problem(2, l10n.t('table {0} is already defined by {1}; this file is ignored', tableName, path.basename(earlier)));
    return;
  }
  definedIn.set(tableName, file);
  if (codepage !== undefined && database.codepage === undefined) database.codepage = codepage;

  const tableFolder = path.join(folder, tableName);
  const rows: Row[] = [];
  // The last line break ends the last row; lines after it are not rows.
  const last = lines.length > 3 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  for (let line = 3; line < last; line++) {
    const cells = splitCells(lines[line]);
    if (cells.length !== columns.length) {
      problem(line, rowWidthProblem(cells.length, tableName, columns.length));
      continue;
    }
    const values: CellValue[] = cells.map((cell, index) =>
      cellValue(fs, cell, columns[index], tableFolder, (message) => problem(line, message)),
    );
    rows.push({ cells: values, line });
  }

  const table: Table = { name: tableName, columns, rows, file };
  database.tables.set(tableName, table);
}

/** Text of an .idt file: the editor's buffer when open, else the bytes decoded. */
function readText(fs: FileSystem, file: string, codepage: number | undefined): string | undefined {
  const open = fs.openText?.(file);
  if (open !== undefined) return open;
  const bytes = fs.readFile(file);
  return bytes === undefined ? undefined : decodeText(bytes, codepage);
}

/**
 * .idt files are 8-bit text. msitools writes UTF-8; Windows writes the database's code page.
 * Valid UTF-8 (which includes plain ASCII) is taken as such, anything else in the code page
 * (from the file's line 3 or _ForceCodepage), Windows-1252 when none is known.
 */
export function decodeText(bytes: Uint8Array, codepage?: number): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    // not UTF-8
  }
  const lineThree = latin1Lines(bytes)[2];
  const fileCodepage = lineThree !== undefined && /^\d+\t/.test(lineThree) ? Number(lineThree.split('\t')[0]) : undefined;
  const label = codepageLabel(fileCodepage ?? codepage);
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

function latin1Lines(bytes: Uint8Array): string[] {
  return Buffer.from(bytes.subarray(0, 4096)).toString('latin1').split(/\r?\n/, 3);
}

/** The WHATWG encoding label of a Windows code page. */
function codepageLabel(codepage: number | undefined): string {
  switch (codepage) {
    case 874:
      return 'windows-874';
    case 932:
      return 'shift_jis';
    case 936:
      return 'gbk';
    case 949:
      return 'euc-kr';
    case 950:
      return 'big5';
    case 65001:
      return 'utf-8';
    default:
      return codepage !== undefined && codepage >= 1250 && codepage <= 1258 ? `windows-${codepage}` : 'windows-1252';
  }
}

/** Lines without their terminators. Trailing NULs (msitools ends _ForceCodepage.idt with one) are dropped. */
function splitLines(text: string): string[] {
  return text.replace(/\0+$/, '').split(/\r?\n/);
}

function splitCells(line: string): string[] {
  return line.split('\t');
}

/**
 * _ForceCodepage.idt: two blank lines, then "<codepage><TAB>_ForceCodepage". undefined when
 * this is not that file; null when it is but the code page is not a number.
 */
function forcedCodepage(lines: string[]): number | null | undefined {
  if (lines.length < 3 || lines[0] !== '' || lines[1] !== '') return undefined;
  const cells = splitCells(lines[2]);
  if (cells.length !== 2 || cells[1] !== FORCE_CODEPAGE) return undefined;
  return /^\d+$/.test(cells[0]) ? Number(cells[0]) : null;
}

/** "3 values but Property has 2 columns; row ignored", with each count in its own number. */
function rowWidthProblem(values: number, tableName: string, columns: number): string {
  if (values === 1) {
    return columns === 1 ? l10n.t('1 value but {0} has 1 column; row ignored', tableName) : l10n.t('1 value but {0} has {1} columns; row ignored', tableName, columns);
  }
  return columns === 1 ? l10n.t('{0} values but {1} has 1 column; row ignored', values, tableName) : l10n.t('{0} values but {1} has {2} columns; row ignored', values, tableName, columns);
}

function parseColumn(name: string, definition: string, key: boolean): Column | string {
  const match = /^([sSlLiIvV])(\d+)$/.exec(definition);
  if (!match) {
    return l10n.t('column {0}: unknown column definition "{1}" (expected s, l, i or v — upper case when nullable — and a size, e.g. s72, L0, i2, V0)', name, definition);
  }
  const letter = match[1];
  const lower = letter.toLowerCase();
  return {
    name,
    type: lower === 'i' ? 'integer' : lower === 'v' ? 'binary' : 'string',
    size: Number(match[2]),
    nullable: letter !== lower,
    key,
    localizable: lower === 'l',
  };
}

function cellValue(
  fs: FileSystem,
  cell: string,
  column: Column,
  tableFolder: string,
  problem: (message: string) => void,
): CellValue {
  if (cell === '') return null;
  switch (column.type) {
    case 'integer': {
      if (!/^[+-]?\d+$/.test(cell)) {
        problem(l10n.t('column {0}: "{1}" is not an integer', column.name, cell));
        return null;
      }
      const value = Number(cell);
      const limit = column.size === 2 ? 0x8000 : 0x80000000;
      if (value < -limit || value >= limit) problem(l10n.t('column {0}: {1} does not fit in {2} bytes', column.name, cell, column.size === 2 ? 2 : 4));
      return value;
    }
    case 'binary':
      return binaryCell(fs, cell, column, tableFolder, problem);
    default:
      return cell.replace(ESCAPED_CONTROL, (ch) => CONTROL_CHARACTERS[ch]);
  }
}

function binaryCell(
  fs: FileSystem,
  cell: string,
  column: Column,
  tableFolder: string,
  problem: (message: string) => void,
): BinaryCell {
  const file = path.join(tableFolder, cell);
  // The cell names a file in the table's folder; a path that leaves it is not an archive's.
  const inside = cell !== '.' && cell !== '..' && !/[\\/]/.test(cell) && path.dirname(file) === tableFolder;
  if (!inside) {
    problem(l10n.t('column {0}: binary cell "{1}" must name a file in {2}', column.name, cell, `${path.basename(tableFolder)}${path.sep}`));
    return { kind: 'binary', name: file, read: () => undefined };
  }
  if (!fs.exists(file)) problem(l10n.t('column {0}: binary cell file {1} is missing', column.name, `${path.basename(tableFolder)}${path.sep}${cell}`));
  return { kind: 'binary', name: file, read: () => fs.readFile(file) };
}

/** Summary property ids (PIDs) and the field each fills. */
const SUMMARY_PROPERTIES: Record<number, { field: keyof SummaryInformation; kind: 'string' | 'integer' | 'date' }> = {
  1: { field: 'codepage', kind: 'integer' },
  2: { field: 'title', kind: 'string' },
  3: { field: 'subject', kind: 'string' },
  4: { field: 'author', kind: 'string' },
  5: { field: 'keywords', kind: 'string' },
  6: { field: 'comments', kind: 'string' },
  7: { field: 'template', kind: 'string' },
  8: { field: 'lastSavedBy', kind: 'string' },
  9: { field: 'revision', kind: 'string' },
  11: { field: 'lastPrinted', kind: 'date' },
  12: { field: 'created', kind: 'date' },
  13: { field: 'lastSaved', kind: 'date' },
  14: { field: 'pageCount', kind: 'integer' },
  15: { field: 'wordCount', kind: 'integer' },
  16: { field: 'characterCount', kind: 'integer' },
  18: { field: 'application', kind: 'string' },
  19: { field: 'security', kind: 'integer' },
};

function readSummaryInformation(lines: string[], file: string, summary: SummaryInformation, problems: IdtProblem[]): void {
  const target = summary as Record<string, unknown>;
  const last = lines.length > 3 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  for (let line = 3; line < last; line++) {
    const cells = splitCells(lines[line]);
    if (cells.length !== 2) {
      problems.push({ file, line, message: l10n.t('{0}: expected a property id and a value', SUMMARY_INFORMATION) });
      continue;
    }
    const [id, raw] = cells;
    const property = /^\d+$/.test(id) ? SUMMARY_PROPERTIES[Number(id)] : undefined;
    if (!property) {
      problems.push({ file, line, message: l10n.t('{0}: unknown property id "{1}"', SUMMARY_INFORMATION, id) });
      continue;
    }
    const value = raw.replace(ESCAPED_CONTROL, (ch) => CONTROL_CHARACTERS[ch]);
    if (property.kind === 'string') {
      target[property.field] = value;
    } else if (property.kind === 'integer') {
      if (/^[+-]?\d+$/.test(value)) target[property.field] = Number(value);
      else problems.push({ file, line, message: l10n.t('{0}: property {1} must be an integer, not "{2}"', SUMMARY_INFORMATION, id, value) });
    } else {
      const date = parseSummaryDate(value);
      if (date) target[property.field] = date;
      else problems.push({ file, line, message: l10n.t('{0}: property {1} must be a date "{2}", not "{3}"', SUMMARY_INFORMATION, id, 'YYYY/MM/DD hh:mm:ss', value) });
    }
  }
}

/** "YYYY/MM/DD hh:mm:ss", the form exports write. The text carries no zone; it is read as UTC. */
function parseSummaryDate(text: string): Date | undefined {
  const match = /^\s*(\d{4})\/(\d{1,2})\/(\d{1,2})\s+(\d{1,2}):(\d{1,2}):(\d{1,2})\s*$/.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60 ? date : undefined;
}
