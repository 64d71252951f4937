// Target `idt`: a folder of .idt table files (and the binary cell files beside them) through
// readIdtDatabase, the DatabaseModel and the package view, as the engine reads an .idt folder.

import * as fc from 'fast-check';
import * as path from 'node:path';
import { MemoryFileSystem } from '../../server/src/engine/fs';
import { readIdtDatabase } from '../../server/src/engine/package/idt';
import { inspectDatabase } from '../../server/src/engine/package/inspect';
import { buildDatabaseModel } from '../../server/src/engine/package/model';
import { seedFolder, seedsMatching } from './corpus';
import { anyText, applyByteEdits, applyTextEdits, byteEdits, corpusPick, textEditFrom, textEdits } from './mutate';
import { assertNoLeakedBug, FuzzFailure, invariant, type FuzzTarget, type InputFiles } from './target';

interface TableSpec {
  name: string;
  columns: Array<[string, string]>;
  keys: string[];
}

/** The tables the model reads, with the column definitions msiinfo writes. */
const TABLES: TableSpec[] = [
  { name: 'Property', columns: [['Property', 's72'], ['Value', 'l0']], keys: ['Property'] },
  { name: 'Registry', columns: [['Registry', 's72'], ['Root', 'i2'], ['Key', 'l255'], ['Name', 'L255'], ['Value', 'L0'], ['Component_', 's72']], keys: ['Registry'] },
  { name: 'MsiDigitalCertificate', columns: [['DigitalCertificate', 's72'], ['CertData', 'v0']], keys: ['DigitalCertificate'] },
  { name: 'MsiPatchCertificate', columns: [['PatchCertificate', 's72'], ['DigitalCertificate_', 's72']], keys: ['PatchCertificate'] },
  { name: 'MsiPackageCertificate', columns: [['PackageCertificate', 's72'], ['DigitalCertificate_', 's72']], keys: ['PackageCertificate'] },
  { name: 'CustomAction', columns: [['Action', 's72'], ['Type', 'i2'], ['Source', 'S72'], ['Target', 'S255'], ['ExtendedType', 'I4']], keys: ['Action'] },
  { name: '_SummaryInformation', columns: [['PropertyId', 'i2'], ['Value', 'l255']], keys: ['PropertyId'] },
  { name: 'Binary', columns: [['Name', 's72'], ['Data', 'v0']], keys: ['Name'] },
];

const IDT_TOKENS = [
  '\t', '\r\n', '\n', '\r', '\x10', '\x11', '\x15', '\x18', '\x19', '\x1b', '\0', '\uFEFF', '1252\t', '65001\t', '932\t', 's72', 'S0',
  'i2', 'i4', 'I2', 'l0', 'v0', 'V0', 'x9', 'i8', 's', '_ForceCodepage', '_SummaryInformation', 'ALLUSERS\t1', 'MSIINSTALLPERUSER\t1',
  'ProductCode\t{6A1F2C3D-0000-4000-8000-00000000C0A1}', 'MsiDigitalCertificate.ContosoPatchSigning', '../', '..', '/', '\\', '-32769', '2147483648',
  '\u00e9', '\u{1F600}', '\uD800',
];

const CELLS: Record<'string' | 'integer' | 'binary', string[]> = {
  string: ['', 'ALLUSERS', 'MSIINSTALLPERUSER', 'MSIDISABLELUAPATCHING', 'ProductCode', 'ProductName', '1', '2', ' 1 ', 'x\x10y\x19z', '\x11', '\x15',
    'Software\\Policies\\Microsoft\\Windows\\Installer', 'DisableLUAPatching', '{6A1F2C3D-0000-4000-8000-00000000C0A1}', 'ContosoPatchSigning', 'é', '日本', 'a'.repeat(300)],
  integer: ['', '0', '1', '-1', '51', '307', '-2147483648', '2147483647', '2147483648', '-32768', '32767', '32768', '+5', '1e3', '0x10', '١', ' 1', '99999999999999999999999'],
  binary: ['MsiDigitalCertificate.ContosoPatchSigning', 'cert.cer', 'missing.bin', '..', '.', '../Property.idt', 'a/b', 'a\\b', '', '/etc/passwd', 'CON'],
};

const cellFor = (definition: string): fc.Arbitrary<string> => {
  const kind = /^[iI]/.test(definition) ? 'integer' : /^[vV]/.test(definition) ? 'binary' : 'string';
  return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...CELLS[kind]) }, { weight: 1, arbitrary: anyText(10) });
};

/** One table file: header lines from a known table (sometimes damaged), rows of fitting (or unfitting) cells. */
const tableFile: fc.Arbitrary<{ name: string; text: string }> = fc
  .record({
    spec: fc.constantFrom(...TABLES),
    definitionDamage: fc.option(fc.tuple(fc.nat(), fc.constantFrom('x9', 'i8', 'i3', 's', 'S99999999999999999999', 'l-1', 'v', '', 'i2\x00')), { freq: 4 }),
    extraKey: fc.option(fc.constantFrom('Missing', 'Value', ''), { freq: 5 }),
    codepage: fc.option(fc.constantFrom('1252', '65001', '932', '0', '99999', '1251'), { freq: 4 }),
    rowCount: fc.integer({ min: 0, max: 8 }),
    seed: fc.nat(),
    newline: fc.constantFrom('\r\n', '\n', '\r\n', '\r'),
    trailer: fc.constantFrom('', '', '\0', '\r\n\r\n', 'junk'),
    raggedRows: fc.boolean(),
  })
  .chain((table) => {
    const definitions = table.spec.columns.map(([, definition]) => definition);
    if (table.definitionDamage) definitions[table.definitionDamage[0] % definitions.length] = table.definitionDamage[1];
    const row = fc.tuple(...definitions.map(cellFor), fc.integer({ min: -1, max: 1 })).map((cells) => {
      const shift = cells.pop() as number;
      const values = cells as string[];
      if (!table.raggedRows || shift === 0) return values;
      return shift > 0 ? [...values, 'extra'] : values.slice(0, -1);
    });
    return fc.array(row, { minLength: table.rowCount, maxLength: table.rowCount }).map((rows) => {
      const { spec, newline } = table;
      const labels = [...(table.codepage ? [table.codepage] : []), spec.name, ...spec.keys, ...(table.extraKey !== null ? [table.extraKey] : [])];
      const lines = [spec.columns.map(([name]) => name).join('\t'), definitions.join('\t'), labels.join('\t'), ...rows.map((cells) => cells.join('\t'))];
      return { name: `${spec.name}.idt`, text: lines.join(newline) + newline + table.trailer };
    });
  });

const forceCodepage = fc.constantFrom('\r\n\r\n1252\t_ForceCodepage\r\n', '\r\n\r\n65001\t_ForceCodepage\r\n\0', '\n\nabc\t_ForceCodepage\n', '\r\n\r\n932\t_ForceCodepage');

export interface IdtInput {
  /** Paths inside the database folder: table files and binary cell files (<Table>/<name>). */
  files: Array<{ name: string; bytes: Uint8Array }>;
}

function generated(): fc.Arbitrary<IdtInput> {
  return fc
    .record({
      tables: fc.array(tableFile, { minLength: 1, maxLength: 5 }),
      force: fc.option(forceCodepage, { freq: 3 }),
      latin1: fc.boolean(),
      certificate: fc.option(fc.constantFrom(...certificateSeeds()), { freq: 2 }),
    })
    .map(({ tables, force, latin1, certificate }) => {
      const files = tables.map((table) => ({ name: table.name, bytes: Buffer.from(table.text, latin1 ? 'latin1' : 'utf8') as Uint8Array }));
      if (force !== null) files.push({ name: '_ForceCodepage.idt', bytes: Buffer.from(force, 'latin1') });
      if (certificate !== null) files.push({ name: 'MsiDigitalCertificate/MsiDigitalCertificate.ContosoPatchSigning', bytes: certificate });
      return { files: dedupe(files) };
    });
}

function certificateSeeds(): Uint8Array[] {
  return seedsMatching(/^test\/fixtures\/certificates\/.*\.(cer|pem)$/).map((file) => file.bytes);
}

function dedupe(files: IdtInput['files']): IdtInput['files'] {
  const byName = new Map(files.map((file) => [file.name, file]));
  return [...byName.values()];
}

function mutated(corpus: IdtInput[]): fc.Arbitrary<IdtInput> {
  return fc
    .record({
      base: corpusPick(corpus),
      which: fc.nat(),
      change: fc.oneof(
        { weight: 5, arbitrary: textEdits(4, textEditFrom(IDT_TOKENS)).map((edits) => ({ kind: 'text' as const, edits })) },
        { weight: 1, arbitrary: byteEdits(3).map((edits) => ({ kind: 'bytes' as const, edits })) },
        { weight: 1, arbitrary: tableFile.map((table) => ({ kind: 'replace' as const, table })) },
        { weight: 1, arbitrary: fc.constant({ kind: 'delete' as const }) },
      ),
    })
    .map(({ base, which, change }) => {
      const files = [...base.files];
      const index = which % files.length;
      const file = files[index];
      switch (change.kind) {
        case 'text':
          files[index] = { name: file.name, bytes: Buffer.from(applyTextEdits(Buffer.from(file.bytes).toString('utf8'), change.edits), 'utf8') };
          break;
        case 'bytes':
          files[index] = { name: file.name, bytes: applyByteEdits(file.bytes, change.edits) };
          break;
        case 'replace':
          files.push({ name: change.table.name, bytes: Buffer.from(change.table.text, 'utf8') });
          break;
        case 'delete':
          if (files.length > 1) files.splice(index, 1);
          break;
      }
      return { files: dedupe(files) };
    });
}

const FOLDER = path.resolve('/fuzz/db');

export function checkIdt(input: IdtInput): void {
  const fs = new MemoryFileSystem();
  for (const file of input.files) fs.write(path.join(FOLDER, ...file.name.split('/')), file.bytes);
  const tableFiles = input.files.filter((file) => /\.idt$/i.test(file.name) && !file.name.includes('/'));
  // The engine passes the folder's table files; the package view reads the folder.
  const lineCounts = new Map<string, number>();
  const lineCount = (file: string): number | undefined => {
    if (!lineCounts.has(file)) {
      const bytes = fs.readFile(file);
      if (!bytes) return undefined;
      lineCounts.set(file, Buffer.from(bytes).toString('latin1').split(/\r?\n/).length);
    }
    return lineCounts.get(file);
  };
  for (const result of [readIdtDatabase(fs, FOLDER, tableFiles.map((file) => file.name)), readIdtDatabase(fs, FOLDER)]) {
    for (const problem of result.problems) {
      assertNoLeakedBug(problem.message, `${path.basename(problem.file)}:${problem.line + 1}`);
      // MemoryFileSystem never fails, so the per-file safety net firing means a bug.
      if (/^cannot read this table:/.test(problem.message)) throw new FuzzFailure('internal-error', `${path.basename(problem.file)}: ${problem.message}`);
      const lines = lineCount(problem.file);
      if (lines !== undefined) {
        invariant(Number.isInteger(problem.line) && problem.line >= 0 && problem.line < Math.max(lines, 3), `${path.basename(problem.file)}: a problem on line ${problem.line + 1} of a ${lines}-line file`);
      }
    }
    for (const table of result.database.tables.values()) {
      for (const row of table.rows) {
        invariant(row.cells.length === table.columns.length, `${table.name}: a row of ${row.cells.length} cells in a ${table.columns.length}-column table`);
        for (const cell of row.cells) if (cell && typeof cell === 'object') cell.read();
      }
    }
    const model = buildDatabaseModel(result.database);
    inspectDatabase(model, new Map(), new Date('2026-06-01T00:00:00Z'), { maxRows: 5 });
  }
}

function idtSeeds(): IdtInput[] {
  const folder = seedFolder('test/fixtures/packages/product-trusting-idt');
  const all: IdtInput = { files: [...folder].map(([name, bytes]) => ({ name, bytes })) };
  // The whole export, and each table file alone (with the certificate it names).
  const singles = all.files
    .filter((file) => file.name.endsWith('.idt'))
    .map((file) => ({ files: file.name === 'MsiDigitalCertificate.idt' ? all.files.filter((other) => other.name === file.name || other.name.includes('/')) : [file] }));
  return [all, ...singles];
}

export const idtTarget: FuzzTarget<IdtInput> = {
  name: 'idt',
  summary: '.idt table folders: readIdtDatabase, the database model, the package view',
  seeds: idtSeeds,
  arbitrary: (corpus) => fc.oneof(generated(), mutated(corpus.entries)),
  check: checkIdt,
  toFiles: (input) => new Map(input.files.map((file) => [file.name, file.bytes])),
  fromFiles: (files: InputFiles) => ({ files: [...files].filter(([name]) => name !== 'case.json').map(([name, bytes]) => ({ name, bytes })) }),
};
