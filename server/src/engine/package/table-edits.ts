// Text edits on .idt table files. Rows are lines; the first three lines are the header
// (column names, column types, table name and keys).

import type { TextEdit } from '../types';
import type { RowRef } from './model';

const HEADER_LINES = 3;

/** Deletes a row's line; undefined for a row of a built package, which cannot be edited as text. */
export function removeRow(at: RowRef): TextEdit | undefined {
  const line = at.row.line;
  if (line === undefined) return undefined;
  return { file: at.table.file, range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, newText: '' };
}

/** Adds a row just below the header, with the CRLF line end .idt files use. */
export function insertRow(tableFile: string, cells: string[]): TextEdit {
  const position = { line: HEADER_LINES, character: 0 };
  return { file: tableFile, range: { start: position, end: position }, newText: `${cells.map(escapeCell).join('\t')}\r\n` };
}

/** A whole new table file: names, types, then the table name and its key columns. */
export function tableFileText(header: { columns: string[]; types: string[]; table: string; keys: string[] }, rows: string[][]): string {
  const lines = [header.columns, header.types, [header.table, ...header.keys], ...rows.map((row) => row.map(escapeCell))];
  return lines.map((cells) => `${cells.join('\t')}\r\n`).join('');
}

/** Tabs and line breaks inside a cell are written as control characters (as Windows Installer's export does). */
function escapeCell(value: string): string {
  return value.replace(/\t/g, '\x10').replace(/\r/g, '\x11').replace(/\n/g, '\x19');
}
