// The model of a Windows Installer database, whichever form it came in: a built package
// (.msi, .msp, .mst — a compound file) or a folder of .idt table files. Rules read tables
// through this; they do not care where the rows came from.

/** File extensions read as compound-file databases. */
export const PACKAGE_EXTENSIONS: readonly string[] = ['.msi', '.msp', '.mst'];

export type DatabaseKind = 'msi' | 'msp' | 'mst' | 'idt';

export interface Column {
  name: string;
  type: 'string' | 'integer' | 'binary';
  /** Declared size: string length (0 = unlimited), integer width in bytes (2 or 4). */
  size: number;
  nullable: boolean;
  key: boolean;
  localizable: boolean;
}

/** A binary cell: its bytes live in a stream (package) or a file (.idt folder). */
export interface BinaryCell {
  kind: 'binary';
  /** Where it lives, for messages: the stream name `Table.Key` or the file path. */
  name: string;
  /** The bytes, or undefined when the stream/file is missing or unreadable. */
  read(): Uint8Array | undefined;
}

export type CellValue = string | number | null | BinaryCell;

export interface Row {
  cells: CellValue[];
  /** 0-based line of the row in its .idt file; undefined in a package (findings go on line 1). */
  line?: number;
}

export interface Table {
  name: string;
  columns: Column[];
  rows: Row[];
  /** The file the rows are in: the package, or the table's .idt file. */
  file: string;
}

/** `\x05SummaryInformation`, by meaning. Absent properties are undefined. */
export interface SummaryInformation {
  codepage?: number;
  title?: string;
  subject?: string;
  author?: string;
  keywords?: string;
  comments?: string;
  /** PID 7. Package: "Intel;1033". Patch: the target ProductCodes, `;`-separated. */
  template?: string;
  lastSavedBy?: string;
  /** PID 9. Package: the PackageCode. Patch: the patch GUID (followed by obsoleted patch GUIDs). */
  revision?: string;
  lastPrinted?: Date;
  created?: Date;
  lastSaved?: Date;
  /** PID 14: minimum installer version (e.g. 500 for 5.0). */
  pageCount?: number;
  /** PID 15: bit 0 short names, 1 compressed, 2 admin image, 3 elevated privileges not required. */
  wordCount?: number;
  characterCount?: number;
  application?: string;
  security?: number;
}

export interface Database {
  /** The package file, or the .idt folder. */
  path: string;
  kind: DatabaseKind;
  codepage?: number;
  tables: Map<string, Table>;
  summary: SummaryInformation;
}

/** Index of a column by name, or -1. */
export function columnIndex(table: Table, name: string): number {
  return table.columns.findIndex((column) => column.name === name);
}

/** A cell's text, for string and integer cells; undefined for null or binary cells. */
export function cellText(table: Table, row: Row, columnName: string): string | undefined {
  const index = columnIndex(table, columnName);
  const value = index < 0 ? undefined : row.cells[index];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}
