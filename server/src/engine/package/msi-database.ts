// The tables of a built package (.msi), patch (.msp) or transform (.mst), read from its compound
// file into the common Database model.
//
// Layout: every string lives once in `_StringPool` (length and reference count per string id)
// and `_StringData` (the bytes, in id order); `_Tables` lists the table names; `_Columns` gives
// each column's number, name and type; a table's stream holds its rows column by column, each
// cell 2 bytes (short integers, binary cells), 4 bytes (long integers) or a string id of 2 or 3
// bytes. Binary cells are streams of their own, named `<Table>.<key>[.<key>…]`.
import * as l10n from '@vscode/l10n';
import { formatClsid, UnreadablePackageError, type CfbEntry, type CompoundFile } from './cfb';
import type { BinaryCell, CellValue, Column, Database, DatabaseKind, Row, SummaryInformation, Table } from './database';
import { decodeMsiStreamName } from './msi-names';
import { decodeCodepageText, MAX_SUMMARY_BYTES, parseSummaryInformation } from './summary-information';

const KIND_BY_CLSID = new Map<string, DatabaseKind>([
  ['{000C1084-0000-0000-C000-000000000046}', 'msi'],
  ['{000C1086-0000-0000-C000-000000000046}', 'msp'],
  ['{000C1082-0000-0000-C000-000000000046}', 'mst'],
]);

// Column type bits (_Columns.Type).
const TYPE_SIZE_MASK = 0x00ff;
const TYPE_PERSISTENT = 0x0100;
const TYPE_LOCALIZABLE = 0x0200;
const TYPE_STRING = 0x0800;
const TYPE_NULLABLE = 0x1000;
const TYPE_KEY = 0x2000;

const SUMMARY_STREAM = '\u0005SummaryInformation';
/** Rows in all tables together; the largest real packages hold a few hundred thousand. */
export const MAX_ROWS = 2_000_000;
/**
 * The most a stream read whole (string pool, string data, a table, a binary cell) may hold: real
 * ones are a few MB. Sizes are checked against the file, but a file can be that large (or sparse),
 * and a whole chain of sectors is all it takes to claim gigabytes.
 */
export const MAX_STREAM_READ_WHOLE = 64 * 1024 * 1024;
const SYSTEM_TABLES = ['_StringPool', '_StringData', '_Tables', '_Columns'];

/** The database kind a root CLSID announces, or undefined for any other CLSID. */
export function databaseKindFromClsid(clsid: Uint8Array): DatabaseKind | undefined {
  return KIND_BY_CLSID.get(formatClsid(clsid));
}

/** A root-level stream or storage of a package, for the inspect view. */
export interface PackageStream {
  /** Unpacked name: "Property", "Binary.Icon", "\u0005SummaryInformation". */
  name: string;
  kind: 'stream' | 'storage';
  /** A table's data stream (its stored name carries the table mark). */
  isTable: boolean;
  /** Bytes (0 for a storage). */
  size: number;
  /** A storage's own entries (a patch's transforms are storages). */
  children: PackageStream[];
}

/** The streams and storages of a package, names unpacked, sorted by name (tables first). */
export function listPackageStreams(file: CompoundFile): PackageStream[] {
  const list = (entries: CfbEntry[]): PackageStream[] =>
    entries
      .map((entry) => {
        const { name, isTable } = decodeMsiStreamName(entry.name);
        return {
          name,
          kind: entry.kind === 'storage' ? ('storage' as const) : ('stream' as const),
          isTable,
          size: entry.size,
          children: list(entry.children),
        };
      })
      .sort((a, b) => Number(b.isTable) - Number(a.isTable) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return list(file.root.children);
}

/**
 * Reads the summary information and every table. Binary cells keep a reference to `file`: read
 * them before its byte source is closed (after that, `read()` returns undefined).
 * Transforms (.mst) store row changes, not rows: their tables are not read (empty map).
 */
export function readMsiDatabase(file: CompoundFile, path: string): Database {
  const tableStreams = new Map<string, CfbEntry>();
  const otherStreams = new Map<string, CfbEntry>();
  for (const child of file.root.children) {
    if (child.kind !== 'stream') continue;
    const { name, isTable } = decodeMsiStreamName(child.name);
    const streams = isTable ? tableStreams : otherStreams;
    if (!streams.has(name)) streams.set(name, child);
  }

  const kind = databaseKindFromClsid(file.root.clsid);
  if (kind === undefined && SYSTEM_TABLES.some((table) => !tableStreams.has(table))) {
    throw new UnreadablePackageError(
      l10n.t('not a Windows Installer database: root CLSID {0}, and no {1} stream', formatClsid(file.root.clsid), SYSTEM_TABLES.filter((table) => !tableStreams.has(table)).join(', ')),
    );
  }

  const summaryEntry = file.rootChild(SUMMARY_STREAM);
  let summary: SummaryInformation = {};
  if (summaryEntry && summaryEntry.kind === 'stream') {
    if (summaryEntry.size > MAX_SUMMARY_BYTES) {
      throw new UnreadablePackageError(l10n.t('summary information: {0}', l10n.t('the stream is {0} bytes; real ones are a few hundred', summaryEntry.size)));
    }
    summary = parseSummaryInformation(file.readStream(summaryEntry, MAX_SUMMARY_BYTES));
  }

  const database: Database = { path, kind: kind ?? 'msi', tables: new Map(), summary };
  if (kind === 'mst') return database;

  const pool = readStringPool(file, tableStreams);
  database.codepage = pool.codepage;
  const reader = new TableReader(file, path, pool, tableStreams, otherStreams);
  for (const table of reader.readAll()) database.tables.set(table.name, table);
  return database;
}

// ---- String pool ------------------------------------------------------------------------------

interface StringPool {
  /** Index = string id; id 0 is null. */
  strings: string[];
  codepage: number;
  /** Width of a string reference in table streams: 3 bytes once the pool outgrows 16 bits. */
  referenceSize: 2 | 3;
}

function readStringPool(file: CompoundFile, tableStreams: Map<string, CfbEntry>): StringPool {
  const poolEntry = tableStreams.get('_StringPool');
  const dataEntry = tableStreams.get('_StringData');
  if (!poolEntry) return { strings: [''], codepage: 0, referenceSize: 2 };
  const pool = file.readStream(poolEntry, MAX_STREAM_READ_WHOLE);
  const data = dataEntry ? file.readStream(dataEntry, MAX_STREAM_READ_WHOLE) : new Uint8Array(0);
  if (pool.length < 4) return { strings: [''], codepage: 0, referenceSize: 2 };

  // Header: the codepage, with the top bit set when string references take 3 bytes.
  const header = u32(pool, 0);
  const codepage = header & 0x7fffffff;
  const referenceSize = header & 0x80000000 ? 3 : 2;
  const strings: string[] = [''];
  const entryCount = Math.floor(pool.length / 4);
  let offset = 0;
  for (let entry = 1; entry < entryCount; entry++) {
    const id = strings.length;
    let length = u16(pool, entry * 4);
    const references = u16(pool, entry * 4 + 2);
    if (length === 0 && references === 0) {
      // A free slot keeps its id.
      strings.push('');
      continue;
    }
    if (length === 0) {
      // A string of 64 KiB or more: this entry holds the high 16 bits of its length, the next
      // entry the low 16 bits and the reference count.
      entry++;
      if (entry >= entryCount) throw new UnreadablePackageError(l10n.t('string pool: it ends inside the entry of string {0}', id));
      length = references * 0x10000 + u16(pool, entry * 4);
    }
    if (offset + length > data.length) {
      throw new UnreadablePackageError(
        l10n.t('string pool: string {0} ({1} bytes at offset {2}) runs past the end of _StringData ({3} bytes)', id, length, offset, data.length),
      );
    }
    strings.push(decodeCodepageText(data.subarray(offset, offset + length), codepage));
    offset += length;
  }
  return { strings, codepage, referenceSize };
}

// ---- Tables -----------------------------------------------------------------------------------

interface ColumnLayout {
  column: Column;
  /** Bytes per cell in the table stream. */
  width: number;
}

class TableReader {
  private rowsRead = 0;

  constructor(
    private readonly file: CompoundFile,
    private readonly path: string,
    private readonly pool: StringPool,
    private readonly tableStreams: Map<string, CfbEntry>,
    private readonly otherStreams: Map<string, CfbEntry>,
  ) {}

  readAll(): Table[] {
    const tableNames = this.readTableNames();
    const columnsByTable = this.readColumns(new Set(tableNames));
    return tableNames.map((name) => {
      const layouts = columnsByTable.get(name);
      if (!layouts) throw new UnreadablePackageError(l10n.t('table {0} is listed in _Tables but has no columns in _Columns', name));
      return this.readTable(name, layouts);
    });
  }

  private readTableNames(): string[] {
    const layout: ColumnLayout[] = [this.systemColumn('Name', 'string')];
    const names = new Set<string>();
    for (const row of this.readRows('_Tables', layout)) {
      const name = row.cells[0];
      if (typeof name === 'string') names.add(name);
    }
    return [...names];
  }

  private readColumns(tables: Set<string>): Map<string, ColumnLayout[]> {
    const layout: ColumnLayout[] = [
      this.systemColumn('Table', 'string'),
      this.systemColumn('Number', 'integer'),
      this.systemColumn('Name', 'string'),
      this.systemColumn('Type', 'integer'),
    ];
    const byTable = new Map<string, Array<ColumnLayout | undefined>>();
    for (const row of this.readRows('_Columns', layout)) {
      const [table, number, name, type] = row.cells;
      if (typeof table !== 'string' || !tables.has(table)) continue;
      if (typeof number !== 'number' || typeof name !== 'string' || typeof type !== 'number') {
        throw new UnreadablePackageError(l10n.t('table {0}: a _Columns row lacks its number, name or type', table));
      }
      const columns = byTable.get(table) ?? [];
      byTable.set(table, columns);
      if (number < 1) {
        throw new UnreadablePackageError(l10n.t('table {0}: _Columns gives column {1} the number {2}', table, name, number));
      }
      if (columns[number - 1]) throw new UnreadablePackageError(l10n.t('table {0}: _Columns lists column {1} twice', table, number));
      columns[number - 1] = this.layout(name, type);
    }
    const complete = new Map<string, ColumnLayout[]>();
    for (const [table, columns] of byTable) {
      for (let index = 0; index < columns.length; index++) {
        if (!columns[index]) throw new UnreadablePackageError(l10n.t('table {0}: _Columns has no column {1} but has column {2}', table, index + 1, columns.length));
      }
      complete.set(table, columns as ColumnLayout[]);
    }
    return complete;
  }

  private systemColumn(name: string, type: 'string' | 'integer'): ColumnLayout {
    return { column: { name, type, size: type === 'string' ? 64 : 2, nullable: false, key: false, localizable: false }, width: type === 'string' ? this.pool.referenceSize : 2 };
  }

  /** A column from its _Columns type bits. Widths follow what Windows Installer writes. */
  private layout(name: string, rawType: number): ColumnLayout {
    // Written out as one literal: built by spreading a common part, every column got its own
    // hidden class in V8 (22 000 of them, 2.4 MB, in a workspace of 380 packages).
    const column = (type: Column['type'], size: number): Column => ({
      name,
      type,
      size,
      nullable: (rawType & TYPE_NULLABLE) !== 0,
      key: (rawType & TYPE_KEY) !== 0,
      localizable: (rawType & TYPE_LOCALIZABLE) !== 0,
    });
    if ((rawType & ~TYPE_NULLABLE) === (TYPE_STRING | TYPE_PERSISTENT)) return { column: column('binary', 0), width: 2 };
    if (rawType & TYPE_STRING) return { column: column('string', rawType & TYPE_SIZE_MASK), width: this.pool.referenceSize };
    const width = (rawType & TYPE_SIZE_MASK) <= 2 ? 2 : 4;
    return { column: column('integer', width), width };
  }

  private readTable(name: string, layouts: ColumnLayout[]): Table {
    const rows = this.readRows(name, layouts);
    const keyColumns = layouts.map((layout, index) => (layout.column.key ? index : -1)).filter((index) => index >= 0);
    layouts.forEach((layout, columnIndex) => {
      if (layout.column.type !== 'binary') return;
      for (const row of rows) {
        if (row.cells[columnIndex] === null) continue;
        const streamName = [name, ...keyColumns.map((keyIndex) => this.keyText(row, keyIndex, layouts[keyIndex]))].join('.');
        row.cells[columnIndex] = this.binaryCell(streamName);
      }
    });
    return { name, columns: layouts.map((layout) => layout.column), rows, file: this.path };
  }

  /** A key cell as it appears in a binary cell's stream name. */
  private keyText(row: Row, index: number, layout: ColumnLayout): string {
    const value = row.cells[index];
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    // A null key: Windows Installer formats the raw stored 0 as the offset's negative.
    return layout.column.type === 'integer' ? String(layout.width === 2 ? -0x8000 : -0x80000000) : '';
  }

  private binaryCell(streamName: string): BinaryCell {
    const entry = this.otherStreams.get(streamName);
    const file = this.file;
    return {
      kind: 'binary',
      name: streamName,
      read(): Uint8Array | undefined {
        if (!entry) return undefined;
        try {
          return file.readStream(entry, MAX_STREAM_READ_WHOLE);
        } catch {
          // A broken stream or a closed file: the cell is unreadable, as documented.
          return undefined;
        }
      },
    };
  }

  /** The rows of a table stream; none when the table has no stream (a table without rows). */
  private readRows(table: string, layouts: ColumnLayout[]): Row[] {
    const entry = this.tableStreams.get(table);
    if (!entry) return [];
    const rowSize = layouts.reduce((sum, layout) => sum + layout.width, 0);
    if (entry.size % rowSize !== 0) {
      throw new UnreadablePackageError(l10n.t('table {0}: its stream is {1} bytes, not a whole number of {2}-byte rows', table, entry.size, rowSize));
    }
    const rowCount = entry.size / rowSize;
    // Sizes are bounded by the file, but a row object costs far more than its bytes: a damaged
    // file must not turn a large stream into millions of rows.
    this.rowsRead += rowCount;
    if (this.rowsRead > MAX_ROWS) throw new UnreadablePackageError(l10n.t('the tables hold more than {0} rows (table {1} has {2})', MAX_ROWS, table, rowCount));
    const bytes = this.file.readStream(entry, MAX_STREAM_READ_WHOLE);
    const rows: Row[] = [];
    for (let index = 0; index < rowCount; index++) rows.push({ cells: new Array<CellValue>(layouts.length) });
    let columnStart = 0;
    layouts.forEach((layout, columnIndex) => {
      const { width, column } = layout;
      for (let rowIndex = 0; rowIndex < rowCount; rowIndex++) {
        const at = columnStart + rowIndex * width;
        const raw = width === 2 ? u16(bytes, at) : width === 3 ? u16(bytes, at) + bytes[at + 2] * 0x10000 : u32(bytes, at);
        rows[rowIndex].cells[columnIndex] = this.cellValue(raw, layout, () => l10n.t('table {0}, row {1}, column {2}', table, rowIndex + 1, column.name));
      }
      columnStart += rowCount * width;
    });
    return rows;
  }

  private cellValue(raw: number, layout: ColumnLayout, where: () => string): CellValue {
    if (raw === 0) return null;
    switch (layout.column.type) {
      case 'string': {
        const strings = this.pool.strings;
        if (raw >= strings.length) {
          throw new UnreadablePackageError(l10n.t('{0}: string id {1} is not in the string pool (ids 1–{2})', where(), raw, strings.length - 1));
        }
        // An empty string is null in Windows Installer.
        return strings[raw] === '' ? null : strings[raw];
      }
      case 'integer':
        return layout.width === 2 ? raw - 0x8000 : (raw ^ 0x80000000) | 0;
      case 'binary':
        // Replaced by a BinaryCell once the row's key is known.
        return { kind: 'binary', name: '', read: () => undefined };
    }
  }
}

function u16(bytes: Uint8Array, offset: number): number {
  return bytes[offset] | (bytes[offset + 1] << 8);
}

function u32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24)) >>> 0;
}
