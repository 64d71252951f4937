import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { assertUnreadable } from '../support/packages';
import { bufferByteSource, fileByteSource } from '../../server/src/engine/package/byte-source';
import { openCompoundFile } from '../../server/src/engine/package/cfb';
import { cellText, type Database, type SummaryInformation, type Table } from '../../server/src/engine/package/database';
import { listPackageStreams, readMsiDatabase } from '../../server/src/engine/package/msi-database';
import { decodeMsiStreamName, encodeMsiStreamName } from '../../server/src/engine/package/msi-names';
import { parseSummaryInformation } from '../../server/src/engine/package/summary-information';

// Expected values come from the real tools, through scripts/fixtures/make-packages.sh:
// product-trusting-idt/ is `msiinfo export` of product-trusting.msi, expected.json and
// reader/expected.json hold what msiinfo, openssl and osslsigncode report, and the patches'
// tables were imported by libmsi from scripts/fixtures/sources/patch/*.idt.
const root = resolve(__dirname, '../../..');
const fixtures = resolve(root, 'test/fixtures');
const fixture = (relativePath: string): Buffer => readFileSync(resolve(fixtures, relativePath));
const read = (relativePath: string, bytes: Uint8Array = fixture(relativePath)): Database =>
  readMsiDatabase(openCompoundFile(bufferByteSource(bytes)), relativePath);

interface ExpectedPackage {
  kind: 'msi' | 'msp';
  productCode?: string;
  allUsers?: string;
  msiDisableLuaPatching?: string;
  template: string;
  revision: string;
  subject?: string;
  pageCount?: number;
  wordCount?: number;
  patchCertificates?: Record<string, string>;
  digitalCertificates?: Record<string, { sha1: string }>;
  signed?: boolean;
  msiDigitalSignatureEx?: boolean;
}
const expected = JSON.parse(fixture('packages/expected.json').toString('utf8')) as Record<string, ExpectedPackage>;
const expectedReader = JSON.parse(fixture('packages/reader/expected.json').toString('utf8')) as {
  'product-codepage-1251.msi': { codepage: number; greeting: Record<string, string> };
  'product-long-string-refs.msi': { manyStringsRows: number; firstRow: string; lastRow: string };
};

/** An .idt file as msiinfo writes it: names, types, table and keys, rows (CRLF, tab-separated). */
interface IdtTable {
  names: string[];
  types: string[];
  keys: string[];
  rows: string[][];
}
function parseIdt(path: string): IdtTable {
  const lines = readFileSync(path, 'utf8').split('\r\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return {
    names: lines[0].split('\t'),
    types: lines[1].split('\t'),
    keys: lines[2].split('\t').slice(1),
    rows: lines.slice(3).map((line) => line.split('\t')),
  };
}

/** The .idt type of a column: s72, S255, l0, i2, I4, v0… */
function idtType(table: Table, index: number): string {
  const column = table.columns[index];
  const letter = column.type === 'string' ? (column.localizable ? 'l' : 's') : column.type === 'integer' ? 'i' : 'v';
  return (column.nullable ? letter.toUpperCase() : letter) + String(column.size);
}

/** A row as msiinfo exports it: null as empty, a binary cell as its stream name. */
function exportedRow(table: Table, rowIndex: number): string[] {
  return table.rows[rowIndex].cells.map((cell) => (cell === null ? '' : typeof cell === 'object' ? cell.name : String(cell)));
}


const SUMMARY_BY_PID: Record<string, keyof SummaryInformation> = {
  1: 'codepage',
  2: 'title',
  3: 'subject',
  4: 'author',
  5: 'keywords',
  6: 'comments',
  7: 'template',
  8: 'lastSavedBy',
  9: 'revision',
  11: 'lastPrinted',
  12: 'created',
  13: 'lastSaved',
  14: 'pageCount',
  15: 'wordCount',
  16: 'characterCount',
  18: 'application',
  19: 'security',
};

describe('tables as msiinfo exports them (product-trusting-idt/)', () => {
  const idtFolder = resolve(fixtures, 'packages/product-trusting-idt');
  const idtTables = readdirSync(idtFolder)
    .filter((name) => name.endsWith('.idt') && !name.startsWith('_'))
    .map((name) => name.replace(/\.idt$/, ''))
    .sort();

  for (const path of ['packages/product-trusting.msi', 'packages/reader/product-trusting-v4.msi']) {
    describe(path, () => {
      const database = read(path);

      test('a Windows Installer database with the tables msiinfo lists', () => {
        assert.equal(database.kind, 'msi');
        assert.deepEqual([...database.tables.keys()].sort(), idtTables);
      });

      test('each table has the columns, types, keys and rows of its .idt export', () => {
        for (const name of idtTables) {
          const idt = parseIdt(resolve(idtFolder, `${name}.idt`));
          const table = database.tables.get(name)!;
          assert.equal(table.file, path);
          assert.deepEqual(table.columns.map((column) => column.name), idt.names, name);
          assert.deepEqual(table.columns.map((_, index) => idtType(table, index)), idt.types, name);
          assert.deepEqual(table.columns.filter((column) => column.key).map((column) => column.name), idt.keys, name);
          assert.deepEqual(table.rows.map((_, index) => exportedRow(table, index)), idt.rows, name);
        }
      });

      test('binary cells read the bytes msiinfo exported', () => {
        const table = database.tables.get('MsiDigitalCertificate')!;
        const cell = table.rows[0].cells[1];
        assert.ok(cell !== null && typeof cell === 'object');
        assert.equal(cell.name, 'MsiDigitalCertificate.ContosoPatchSigning');
        assert.deepEqual(Buffer.from(cell.read()!), readFileSync(resolve(idtFolder, 'MsiDigitalCertificate', cell.name)));
      });

      test('the database code page is the one msiinfo exports as _ForceCodepage', () => {
        // Two empty lines, then "<codepage>\t_ForceCodepage".
        const [codepage, marker] = readFileSync(resolve(idtFolder, '_ForceCodepage.idt'), 'utf8').split('\r\n')[2].split('\t');
        assert.equal(marker, '_ForceCodepage');
        assert.equal(database.codepage, Number(codepage));
      });

      test('the summary information is what msiinfo exports as _SummaryInformation', () => {
        const exported = parseIdt(resolve(idtFolder, '_SummaryInformation.idt'));
        const fromTool: Record<string, unknown> = {};
        for (const [pid, value] of exported.rows) {
          const key = SUMMARY_BY_PID[pid];
          assert.ok(key, `PID ${pid} is mapped`);
          const date = /^(\d+)\/(\d+)\/(\d+) (\d+):(\d+):(\d+)$/.exec(value);
          // msitools prints FILETIMEs in UTC (gmtime).
          fromTool[key] = date
            ? new Date(Date.UTC(+date[1], +date[2] - 1, +date[3], +date[4], +date[5], +date[6])).toISOString()
            : /^-?\d+$/.test(value)
              ? Number(value)
              : value;
        }
        const ours = Object.fromEntries(
          Object.entries(database.summary).map(([key, value]) => [key, value instanceof Date ? new Date(Math.floor(value.getTime() / 1000) * 1000).toISOString() : value]),
        );
        assert.deepEqual(ours, fromTool);
      });
    });
  }
});

describe('what the tools report about each package (expected.json)', () => {
  for (const [name, facts] of Object.entries(expected)) {
    test(name, () => {
      const database = read(`packages/${name}`);
      assert.equal(database.kind, facts.kind);
      assert.equal(database.summary.template, facts.template);
      assert.equal(database.summary.revision, facts.revision);
      if (facts.subject !== undefined) assert.equal(database.summary.subject, facts.subject);
      if (facts.pageCount !== undefined) assert.equal(database.summary.pageCount, facts.pageCount);
      if (facts.wordCount !== undefined) assert.equal(database.summary.wordCount, facts.wordCount);
      if (facts.kind !== 'msi') return;

      const property = database.tables.get('Property')!;
      const value = (key: string): string | undefined => {
        const row = property.rows.find((candidate) => candidate.cells[0] === key);
        return row ? cellText(property, row, 'Value') : undefined;
      };
      assert.equal(value('ProductCode'), facts.productCode);
      assert.equal(value('ALLUSERS'), facts.allUsers);
      assert.equal(value('MSIDISABLELUAPATCHING'), facts.msiDisableLuaPatching);

      const patchCertificates = database.tables.get('MsiPatchCertificate');
      assert.deepEqual(
        Object.fromEntries((patchCertificates?.rows ?? []).map((row) => [row.cells[0], row.cells[1]])),
        facts.patchCertificates,
      );
      const digitalCertificates = database.tables.get('MsiDigitalCertificate');
      assert.deepEqual(
        Object.fromEntries(
          (digitalCertificates?.rows ?? []).map((row) => {
            const cell = row.cells[1];
            assert.ok(cell !== null && typeof cell === 'object');
            return [row.cells[0], { sha1: createHash('sha1').update(cell.read()!).digest('hex').toUpperCase() }];
          }),
        ),
        facts.digitalCertificates,
      );
    });
  }

  test('the signature streams are listed as msiinfo lists them', () => {
    for (const [name, facts] of Object.entries(expected)) {
      if (facts.kind !== 'msp') continue;
      const streams = listPackageStreams(openCompoundFile(bufferByteSource(fixture(`packages/${name}`))));
      const names = streams.map((stream) => stream.name);
      assert.equal(names.includes('\u0005DigitalSignature'), facts.signed, name);
      assert.equal(names.includes('\u0005MsiDigitalSignatureEx'), facts.msiDigitalSignatureEx, name);
      assert.deepEqual(
        streams.filter((stream) => stream.isTable).map((stream) => stream.name),
        ['MsiPatchMetadata', 'MsiPatchSequence', '_Columns', '_StringData', '_StringPool', '_Tables'],
        name,
      );
    }
  });
});

describe('patch tables, against the .idt files libmsi imported', () => {
  const sources = resolve(root, 'scripts/fixtures/sources/patch');
  const sorted = (rows: string[][]): string[][] => [...rows].sort((a, b) => a.join('\t').localeCompare(b.join('\t')));

  test('patch-sha256.msp holds MsiPatchMetadata and MsiPatchSequence as imported', () => {
    const database = read('packages/patch-sha256.msp');
    assert.deepEqual([...database.tables.keys()].sort(), ['MsiPatchMetadata', 'MsiPatchSequence']);
    for (const name of ['MsiPatchMetadata', 'MsiPatchSequence']) {
      const idt = parseIdt(resolve(sources, `${name}.idt`));
      const table = database.tables.get(name)!;
      assert.deepEqual(table.columns.map((column) => column.name), idt.names);
      assert.deepEqual(table.columns.map((_, index) => idtType(table, index)), idt.types);
      assert.deepEqual(sorted(table.rows.map((_, index) => exportedRow(table, index))), sorted(idt.rows));
    }
  });

  test('patch-tampered.msp: the edited Attributes cell reads 0, as msiinfo prints it', () => {
    const table = read('packages/patch-tampered.msp').tables.get('MsiPatchSequence')!;
    assert.equal(cellText(table, table.rows[0], 'Attributes'), '0');
    const original = read('packages/patch-sha256.msp').tables.get('MsiPatchSequence')!;
    assert.equal(original.rows[0].cells[3], null);
  });
});

describe('code pages and 3-byte string references (reader/)', () => {
  test('strings stored in code page 1251 decode as msiinfo exports them', () => {
    const facts = expectedReader['product-codepage-1251.msi'];
    const database = read('packages/reader/product-codepage-1251.msi');
    assert.equal(database.codepage, facts.codepage);
    const greeting = database.tables.get('Greeting')!;
    assert.deepEqual(Object.fromEntries(greeting.rows.map((row) => [row.cells[0], row.cells[1]])), facts.greeting);
  });

  test('a pool of more than 65,535 strings, referenced with 3 bytes', () => {
    const bytes = fixture('packages/reader/product-long-string-refs.msi');
    const file = openCompoundFile(bufferByteSource(bytes));
    const pool = file.root.children.find((entry) => decodeMsiStreamName(entry.name).name === '_StringPool')!;
    assert.equal(file.readStream(pool)[3] & 0x80, 0x80, 'the fixture flags 3-byte references');
    const facts = expectedReader['product-long-string-refs.msi'];
    const database = readMsiDatabase(file, 'long');
    const rows = database.tables.get('ManyStrings')!.rows;
    assert.equal(rows.length, facts.manyStringsRows);
    assert.equal(rows[0].cells[0], facts.firstRow);
    assert.equal(rows[rows.length - 1].cells[0], facts.lastRow);
    // The other tables' string columns are 3 bytes wide too.
    assert.equal(cellText(database.tables.get('Property')!, database.tables.get('Property')!.rows.find((row) => row.cells[0] === 'ProductCode')!, 'Value'), expected['product-no-certificates.msi'].productCode);
  });
});

describe('unreadable databases', () => {
  test('every hostile fixture is an UnreadablePackageError, within a second', () => {
    const folder = resolve(fixtures, 'packages/hostile');
    for (const name of readdirSync(folder)) {
      assertUnreadable(() => read(`packages/hostile/${name}`), /./);
    }
  });

  test('a string id outside the pool names the table, row and column', () => {
    assertUnreadable(
      () => read('packages/hostile/string-index-out-of-range.msi'),
      /^table Property, row 1, column Property: string id \d+ is not in the string pool \(ids 1–\d+\)$/,
    );
  });

  // Offsets in a version 3 file, read directly from its header and directory.
  function entryOffset(bytes: Buffer, name: string): number {
    const sectorOffset = (sector: number): number => (sector + 1) * 512;
    const fatSector = bytes.readUInt32LE(76);
    for (let sector = bytes.readUInt32LE(48); sector !== 0xfffffffe; sector = bytes.readUInt32LE(sectorOffset(fatSector) + sector * 4)) {
      for (let slot = 0; slot < 4; slot++) {
        const offset = sectorOffset(sector) + slot * 128;
        const stored = bytes.toString('utf16le', offset, offset + Math.max(0, bytes.readUInt16LE(offset + 64) - 2));
        if (decodeMsiStreamName(stored).name === name) return offset;
      }
    }
    throw new Error(`no entry ${name}`);
  }
  const product = (): Buffer => Buffer.from(fixture('packages/product-trusting.msi'));

  test('a table stream that is not a whole number of rows', () => {
    const bytes = product();
    bytes.writeUInt32LE(26, entryOffset(bytes, 'Property') + 120);
    assertUnreadable(() => read('damaged.msi', bytes), /^table Property: its stream is 26 bytes, not a whole number of 4-byte rows$/);
  });

  test('a string pool that claims more bytes than _StringData holds', () => {
    const bytes = product();
    const offset = entryOffset(bytes, '_StringData') + 120;
    bytes.writeUInt32LE(bytes.readUInt32LE(offset) - 100, offset);
    assertUnreadable(() => read('damaged.msi', bytes), /^string pool: string \d+ \(\d+ bytes at offset \d+\) runs past the end of _StringData \(\d+ bytes\)$/);
  });

  test('a summary stream too short for its header', () => {
    const bytes = product();
    bytes.writeUInt32LE(20, entryOffset(bytes, '\u0005SummaryInformation') + 120);
    assertUnreadable(() => read('damaged.msi', bytes), /^summary information: the stream is 20 bytes, too short for a property set header$/);
  });

  test('another root CLSID: still read when the tables are there, refused when they are not', () => {
    const bytes = product();
    const rootEntry = (bytes.readUInt32LE(48) + 1) * 512;
    bytes.fill(0x11, rootEntry + 80, rootEntry + 96);
    const database = read('other-clsid.msi', bytes);
    assert.equal(database.kind, 'msi');
    assert.deepEqual([...database.tables.keys()].sort(), [...read('packages/product-trusting.msi').tables.keys()].sort());

    const tables = entryOffset(bytes, '_Tables');
    bytes.writeUInt16LE(0x41, tables + 2); // the name no longer unpacks to _Tables
    assertUnreadable(() => read('other-clsid.msi', bytes), /^not a Windows Installer database: root CLSID \{11111111-1111-1111-1111-111111111111\}, and no _Tables stream$/);
  });

  test('a binary cell whose stream is missing reads as undefined', () => {
    const bytes = product();
    bytes.writeUInt16LE(0x41, entryOffset(bytes, 'MsiDigitalCertificate.ContosoPatchSigning'));
    const cell = read('damaged.msi', bytes).tables.get('MsiDigitalCertificate')!.rows[0].cells[1];
    assert.ok(cell !== null && typeof cell === 'object');
    assert.equal(cell.name, 'MsiDigitalCertificate.ContosoPatchSigning');
    assert.equal(cell.read(), undefined);
  });

  test('binary cells read from the open file, and read as undefined once it is closed', () => {
    const source = fileByteSource(resolve(fixtures, 'packages/product-trusting.msi'))!;
    const database = readMsiDatabase(openCompoundFile(source), 'product-trusting.msi');
    const cell = database.tables.get('MsiDigitalCertificate')!.rows[0].cells[1];
    assert.ok(cell !== null && typeof cell === 'object');
    assert.deepEqual(Buffer.from(cell.read()!), fixture('certificates/contoso-patch-signing.cer'));
    source.close();
    assert.equal(cell.read(), undefined);
  });
});

describe('summary information stream', () => {
  const summaryBytes = (): Buffer => {
    const file = openCompoundFile(bufferByteSource(fixture('packages/product-trusting.msi')));
    return Buffer.from(file.readStream(file.rootChild('\u0005SummaryInformation')!));
  };

  test('damaged property sets are refused with the reason', () => {
    const cases: Array<[(bytes: Buffer) => void, RegExp]> = [
      [(bytes) => bytes.writeUInt16LE(0xfeff, 0), /byte order mark 0xfeff/],
      [(bytes) => bytes.writeUInt32LE(0xffffff, 44), /the property set starts at byte 16777215, past the end/],
      [(bytes) => bytes.writeUInt32LE(0x7fffffff, bytes.readUInt32LE(44) + 4), /claims 2147483647 properties/],
      [(bytes) => bytes.writeUInt32LE(0xfffff, bytes.readUInt32LE(44) + 12), /property \d+ lies outside its property set/],
    ];
    for (const [damage, reason] of cases) {
      const bytes = summaryBytes();
      damage(bytes);
      assertUnreadable(() => parseSummaryInformation(bytes), reason);
    }
  });

  test('a string whose length runs past the property set', () => {
    const bytes = summaryBytes();
    const section = bytes.readUInt32LE(44);
    const count = bytes.readUInt32LE(section + 4);
    for (let index = 0; index < count; index++) {
      const pid = bytes.readUInt32LE(section + 8 + index * 8);
      const at = section + bytes.readUInt32LE(section + 12 + index * 8);
      if (pid === 7) bytes.writeUInt32LE(100_000, at + 4);
    }
    assertUnreadable(() => parseSummaryInformation(bytes), /^summary information: property 7 runs past the end of its property set$/);
  });
});

describe('MSI stream names', () => {
  // Stored names from real packages (msi-format notes).
  const units = (text: string): string[] => [...text].map((character) => character.charCodeAt(0).toString(16).toUpperCase());

  test('table names pack two symbols per unit, after the table mark', () => {
    assert.deepEqual(units(encodeMsiStreamName('Property', true)), ['4840', '4559', '44F2', '4568', '4737']);
    assert.deepEqual(units(encodeMsiStreamName('_StringPool', true)), ['4840', '3F3F', '4577', '446C', '3E6A', '44B2', '482F']);
    assert.deepEqual(decodeMsiStreamName(encodeMsiStreamName('_StringPool', true)), { name: '_StringPool', isTable: true });
  });

  test('binary cell names have no table mark; other characters stay as they are', () => {
    const stored = encodeMsiStreamName('MsiDigitalCertificate.ContosoPatchSigning', false);
    assert.ok(stored.length <= 31);
    assert.deepEqual(decodeMsiStreamName(stored), { name: 'MsiDigitalCertificate.ContosoPatchSigning', isTable: false });
    assert.deepEqual(decodeMsiStreamName('\u0005SummaryInformation'), { name: '\u0005SummaryInformation', isTable: false });
    assert.deepEqual(decodeMsiStreamName(encodeMsiStreamName('a-b c', false)), { name: 'a-b c', isTable: false });
  });
});
