import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { MemoryFileSystem, NodeFileSystem } from '../../server/src/engine/fs';
import { cellText, type BinaryCell, type Database, type Table } from '../../server/src/engine/package/database';
import { isIdtFolder, readIdtDatabase, type IdtReadResult } from '../../server/src/engine/package/idt';

// Compiled to out/test/package/: the fixtures stay in the source tree.
const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures');

// product-trusting-idt/ is product-trusting.msi exported table by table with `msiinfo export`
// (scripts/fixtures/make-packages.sh); expected.json holds what msiinfo/openssl say about the
// .msi. The assertions compare the reader with those tool outputs and with the .idt text.
const packages = path.join(FIXTURES, 'packages');
const folder = path.join(packages, 'product-trusting-idt');
const expected = JSON.parse(readFileSync(path.join(packages, 'expected.json'), 'utf8'))['product-trusting.msi'] as {
  productCode: string;
  template: string;
  revision: string;
  pageCount: number;
  wordCount: number;
  patchCertificates: Record<string, string>;
  digitalCertificates: Record<string, { sha1: string }>;
};

const exported = readIdtDatabase(new NodeFileSystem(), folder);
const database = exported.database;

function table(db: Database, name: string): Table {
  const found = db.tables.get(name);
  if (!found) assert.fail(`no table ${name}; tables: ${[...db.tables.keys()].join(', ')}`);
  return found;
}

/** The lines of a fixture .idt file as msiinfo wrote them. */
function fileLines(name: string): string[] {
  return readFileSync(path.join(folder, name), 'utf8').split('\r\n');
}

describe('an .idt folder exported by msiinfo', () => {
  test('reads without problems as one database of kind idt', () => {
    assert.deepEqual(exported.problems, []);
    assert.equal(database.kind, 'idt');
    assert.equal(database.path, folder);
  });

  test('has one table per exported table file, named by its line 3', () => {
    const tableFiles = readdirSync(folder).filter((name) => name.endsWith('.idt') && !['_ForceCodepage.idt', '_SummaryInformation.idt'].includes(name));
    assert.ok(tableFiles.length > 20, 'the export lists every table of the package');
    assert.deepEqual([...database.tables.keys()].sort(), tableFiles.map((name) => fileLines(name)[2].split('\t')[0]).sort());
    for (const name of tableFiles) {
      const t = table(database, name.replace(/\.idt$/, ''));
      assert.equal(t.file, path.join(folder, name));
      assert.deepEqual(t.columns.map((column) => column.name), fileLines(name)[0].split('\t'));
    }
  });

  test('every row keeps the line it is on, and its cells are that line', () => {
    for (const t of database.tables.values()) {
      const lines = fileLines(path.basename(t.file));
      // msiinfo ends every line with CRLF: the rows are lines 3 .. length-2.
      assert.equal(t.rows.length, lines.length - 4, `${t.name} row count`);
      t.rows.forEach((row, index) => {
        assert.equal(row.line, 3 + index);
        const text = row.cells.map((cell) => (cell === null ? '' : typeof cell === 'object' ? path.basename(cell.name) : String(cell)));
        assert.deepEqual(text, lines[row.line!].split('\t'), `${t.name} line ${row.line}`);
      });
    }
  });

  test('Property holds the ProductCode msiinfo reports, on its own line', () => {
    const property = table(database, 'Property');
    const row = property.rows.find((r) => r.cells[0] === 'ProductCode');
    assert.ok(row);
    assert.equal(cellText(property, row, 'Value'), expected.productCode);
    assert.equal(row.line, fileLines('Property.idt').findIndex((line) => line.startsWith('ProductCode\t')));
    assert.equal(cellText(property, property.rows.find((r) => r.cells[0] === 'ALLUSERS')!, 'Value'), '1');
  });

  test('column definitions become types, sizes, nullability, keys and localizability', () => {
    const [name, value] = table(database, 'Property').columns;
    assert.deepEqual(name, { name: 'Property', type: 'string', size: 72, nullable: false, key: true, localizable: false });
    assert.deepEqual(value, { name: 'Value', type: 'string', size: 0, nullable: false, key: false, localizable: true });
    const media = table(database, 'Media').columns;
    assert.deepEqual(
      media.map((c) => [c.name, c.type, c.size, c.nullable, c.key]),
      [
        ['DiskId', 'integer', 2, false, true],
        ['LastSequence', 'integer', 4, false, false],
        ['DiskPrompt', 'string', 64, true, false],
        ['Cabinet', 'string', 255, true, false],
        ['VolumeLabel', 'string', 32, true, false],
        ['Source', 'string', 72, true, false],
      ],
    );
    assert.equal(table(database, 'MsiDigitalCertificate').columns[1].type, 'binary');
  });

  test('integer cells are numbers and empty cells null', () => {
    const sequence = table(database, 'InstallExecuteSequence');
    const costInitialize = sequence.rows.find((r) => r.cells[0] === 'CostInitialize');
    assert.deepEqual(costInitialize?.cells, ['CostInitialize', null, 800]);
  });

  test('MsiPatchCertificate lists what msiinfo exported from the package', () => {
    const patchCertificates = table(database, 'MsiPatchCertificate');
    const rows = Object.fromEntries(patchCertificates.rows.map((r) => [r.cells[0], r.cells[1]]));
    assert.deepEqual(rows, expected.patchCertificates);
  });

  test('a binary cell reads its file in <Table>/: the certificate, byte for byte', () => {
    const certificates = table(database, 'MsiDigitalCertificate');
    assert.equal(certificates.rows.length, 1);
    const [key, data] = certificates.rows[0].cells;
    assert.equal(key, 'ContosoPatchSigning');
    const cell = data as BinaryCell;
    assert.equal(cell.kind, 'binary');
    assert.equal(cell.name, path.join(folder, 'MsiDigitalCertificate', 'MsiDigitalCertificate.ContosoPatchSigning'));
    const bytes = cell.read();
    assert.ok(bytes);
    assert.deepEqual(Buffer.from(bytes), readFileSync(path.join(FIXTURES, 'certificates', 'contoso-patch-signing.cer')));
    assert.equal(createHash('sha1').update(bytes).digest('hex').toUpperCase(), expected.digitalCertificates.ContosoPatchSigning.sha1);
  });

  test('_SummaryInformation.idt and _ForceCodepage.idt fill the summary and code page', () => {
    assert.equal(database.summary.template, expected.template);
    assert.equal(database.summary.revision, expected.revision);
    assert.equal(database.summary.pageCount, expected.pageCount);
    assert.equal(database.summary.wordCount, expected.wordCount);
    assert.equal(database.summary.title, 'Installation Database');
    assert.equal(database.summary.codepage, 1252);
    assert.ok(database.summary.created instanceof Date && !Number.isNaN(database.summary.created.getTime()));
    const forced = fileLines('_ForceCodepage.idt')[2].split('\t')[0];
    assert.equal(database.codepage, Number(forced));
    assert.ok(!database.tables.has('_SummaryInformation') && !database.tables.has('_ForceCodepage'));
  });

  test('only the files asked for are read', () => {
    const result = readIdtDatabase(new NodeFileSystem(), folder, ['Property.idt', path.join(folder, 'MsiPatchCertificate.idt')]);
    assert.deepEqual([...result.database.tables.keys()].sort(), ['MsiPatchCertificate', 'Property']);
    assert.deepEqual(result.problems, []);
  });

  test('isIdtFolder: a folder with .idt files, not one without or a file', () => {
    const disk = new NodeFileSystem();
    assert.equal(isIdtFolder(disk, folder), true);
    assert.equal(isIdtFolder(disk, packages), false);
    assert.equal(isIdtFolder(disk, path.join(folder, 'Property.idt')), false);
    assert.equal(isIdtFolder(disk, path.join(packages, 'no-such-folder')), false);
  });
});

// --- hand-written .idt files -------------------------------------------------------------

const root = path.resolve('/work/db');
function read(files: Record<string, string | Uint8Array>, only?: string[]): IdtReadResult {
  const fs = new MemoryFileSystem();
  for (const [name, content] of Object.entries(files)) fs.write(path.join(root, name), content);
  return readIdtDatabase(fs, root, only);
}
const at = (name: string) => path.join(root, name);
const PROPERTY_HEAD = 'Property\tValue\r\ns72\tl0\r\nProperty\tProperty\r\n';

describe('malformed .idt files give problems, not exceptions', () => {
  test('a row with the wrong number of values is reported on its line; the others are read', () => {
    const { database, problems } = read({ 'Property.idt': `${PROPERTY_HEAD}A\t1\r\nB\t2\textra\r\nC\r\nD\t4\r\n` });
    assert.deepEqual(table(database, 'Property').rows.map((r) => [r.cells[0], r.line]), [['A', 3], ['D', 6]]);
    assert.deepEqual(problems.map((p) => [p.file, p.line]), [[at('Property.idt'), 4], [at('Property.idt'), 5]]);
    assert.match(problems[0].message, /3 values but Property has 2 columns/);
  });

  test('an unknown column definition skips the table', () => {
    const { database, problems } = read({ 'Odd.idt': 'Key\tData\r\ns72\tx12\r\nOdd\tKey\r\nk\td\r\n' });
    assert.equal(database.tables.size, 0);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 1);
    assert.match(problems[0].message, /unknown column definition "x12"/);
  });

  test('more column names than definitions', () => {
    const { database, problems } = read({ 'Odd.idt': 'Key\tData\tMore\r\ns72\tS0\r\nOdd\tKey\r\n' });
    assert.equal(database.tables.size, 0);
    assert.match(problems[0].message, /3 column names on line 1 but 2 column definitions/);
  });

  test('a table defined by two files: the second is reported and ignored', () => {
    const { database, problems } = read({
      'Property.idt': `${PROPERTY_HEAD}A\t1\r\n`,
      'Property2.idt': `${PROPERTY_HEAD}B\t2\r\n`,
    });
    assert.deepEqual(table(database, 'Property').rows.map((r) => r.cells[0]), ['A']);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].file, at('Property2.idt'));
    assert.match(problems[0].message, /already defined by Property\.idt/);
  });

  test('too short to be a table, empty, or unreadable', () => {
    const { problems } = read({ 'Short.idt': 'Key\r\ns72\r\n', 'Empty.idt': '' }, ['Short.idt', 'Empty.idt', 'Missing.idt']);
    assert.deepEqual(problems.map((p) => path.basename(p.file)), ['Short.idt', 'Empty.idt', 'Missing.idt']);
    assert.match(problems[2].message, /cannot read/);
  });

  test('a key that is not a column, and a text in an integer column', () => {
    const { database, problems } = read({ 'Media.idt': 'DiskId\tLastSequence\r\ni2\ti4\r\nMedia\tDiskNumber\r\n1\tmany\r\n' });
    assert.deepEqual(table(database, 'Media').rows[0].cells, [1, null]);
    assert.deepEqual(problems.map((p) => p.line), [2, 3]);
    assert.match(problems[1].message, /"many" is not an integer/);
  });

  test('a binary cell whose file is missing, or that leaves the table folder', () => {
    const { database, problems } = read({
      'Binary.idt': 'Name\tData\r\ns72\tv0\r\nBinary\tName\r\nGone\tgone.ibd\r\nEscape\t../secret.ibd\r\n',
      'secret.ibd': 'not for the cell',
    });
    const [gone, escape] = table(database, 'Binary').rows.map((r) => r.cells[1] as BinaryCell);
    assert.equal(gone.read(), undefined);
    assert.equal(escape.read(), undefined);
    assert.deepEqual(problems.map((p) => p.line), [3, 4]);
    assert.match(problems[0].message, /missing/);
    assert.match(problems[1].message, /must name a file in Binary/);
  });

  test('garbage bytes never throw', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256);
    for (let i = 0; i < 50; i++) {
      const bytes = new Uint8Array(200 + (i % 7) * 13).map(() => [9, 10, 13, 0x11, 0x19, random()][random() % 6]);
      assert.doesNotThrow(() => read({ 'Noise.idt': bytes, '_SummaryInformation.idt': bytes, '_ForceCodepage.idt': bytes }));
    }
  });
});

describe('.idt conventions', () => {
  test('LF line endings are accepted', () => {
    const { database, problems } = read({ 'Property.idt': 'Property\tValue\ns72\tl0\nProperty\tProperty\nA\t1\nB\t2\n' });
    assert.deepEqual(problems, []);
    assert.deepEqual(table(database, 'Property').rows.map((r) => [r.cells, r.line]), [[['A', '1'], 3], [['B', '2'], 4]]);
  });

  test('control characters written as their documented stand-ins are restored', () => {
    // Archive File Format: CR -> 17, LF -> 25, HT -> 16, FF -> 24, BS -> 27, NUL -> 21.
    const { database } = read({ 'Property.idt': `${PROPERTY_HEAD}Text\tone\x11\x19two\x10three\x18\x1b\r\n` });
    assert.equal(table(database, 'Property').rows[0].cells[1], 'one\r\ntwo\tthree\f\b');
  });

  test('a code page before the table name on line 3 decodes the file in that code page', () => {
    const bytes = Buffer.concat([Buffer.from('Property\tValue\r\ns72\tl0\r\n1252\tProperty\tProperty\r\nName\tCaf'), Buffer.from([0xe9]), Buffer.from('\r\n')]);
    const { database, problems } = read({ 'Property.idt': bytes });
    assert.deepEqual(problems, []);
    const property = table(database, 'Property');
    assert.equal(property.columns[0].key, true);
    assert.deepEqual(property.rows[0].cells, ['Name', 'Café']);
    assert.equal(database.codepage, 1252);
  });

  test('UTF-8 text (what msitools writes) stays UTF-8', () => {
    const { database } = read({ 'Property.idt': `${PROPERTY_HEAD}Name\tZürich\r\n` });
    assert.equal(table(database, 'Property').rows[0].cells[1], 'Zürich');
  });

  test('_ForceCodepage.idt sets the code page used to decode the other files', () => {
    const legacy = Buffer.concat([Buffer.from(`${PROPERTY_HEAD}Name\t`), Buffer.from([0xc4, 0xe0]), Buffer.from('\r\n')]);
    const { database, problems } = read({ '_ForceCodepage.idt': '\r\n\r\n1251\t_ForceCodepage\r\n\0', 'Property.idt': legacy });
    assert.deepEqual(problems, []);
    assert.equal(database.codepage, 1251);
    assert.equal(table(database, 'Property').rows[0].cells[1], 'Да');
  });

  test('_SummaryInformation.idt: dates, integers, and an unknown property id', () => {
    const { database, problems } = read({
      '_SummaryInformation.idt':
        'PropertyId\tValue\r\ni2\tl255\r\n_SummaryInformation\tPropertyId\r\n7\t{6A1F2C3D-0000-4000-8000-00000000C0A1}\r\n9\t{6A1F2C3D-0000-4000-8000-00000000E001}\r\n12\t2024/06/01 08:30:00\r\n15\t8\r\n99\tx\r\n',
    });
    assert.equal(database.summary.template, '{6A1F2C3D-0000-4000-8000-00000000C0A1}');
    assert.equal(database.summary.revision, '{6A1F2C3D-0000-4000-8000-00000000E001}');
    assert.equal(database.summary.created?.toISOString(), '2024-06-01T08:30:00.000Z');
    assert.equal(database.summary.wordCount, 8);
    assert.deepEqual(problems.map((p) => p.line), [7]);
  });
});
