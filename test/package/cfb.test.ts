import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { assertUnreadable } from '../support/packages';
import { bufferByteSource, type ByteSource } from '../../server/src/engine/package/byte-source';
import { type CfbEntry, type CompoundFile, formatClsid, openCompoundFile } from '../../server/src/engine/package/cfb';
import { decodeMsiStreamName } from '../../server/src/engine/package/msi-names';

// Real packages come from scripts/fixtures/make-packages.sh: product-trusting.msi is wixl +
// msibuild output (version 3, written by libgsf), reader/product-trusting-v4.msi the same
// database rewritten by libgsf with 4096-byte sectors, product-trusting-idt/ its `msiinfo export`.
// Layouts no tool here writes (DIFAT sectors, multi-megabyte streams, chosen corruptions) are
// built by the small writer at the end of this file from bytes the test chooses.
const fixtures = resolve(__dirname, '../../../test/fixtures');
const fixture = (relativePath: string): Buffer => readFileSync(resolve(fixtures, relativePath));
const open = (bytes: Uint8Array): CompoundFile => openCompoundFile(bufferByteSource(bytes));

const MSI_CLSID = '{000C1084-0000-0000-C000-000000000046}';
const END_OF_CHAIN = 0xfffffffe;
const FREE_SECTOR = 0xffffffff;

function decodedNames(entries: CfbEntry[]): string[] {
  return entries.map((entry) => decodeMsiStreamName(entry.name).name).sort();
}

/** Reads every stream of the file (what the signature digest does). */
function readEverything(file: CompoundFile): void {
  const visit = (entry: CfbEntry): void => {
    for (const child of entry.children) {
      if (child.kind === 'stream') for (const _chunk of file.streamChunks(child));
      else visit(child);
    }
  };
  visit(file.root);
}


/** The tables msiinfo exported with at least one row: each has a data stream. */
function idtExpectations(): { tablesWithRows: string[]; binaryStreams: string[] } {
  const folder = resolve(fixtures, 'packages/product-trusting-idt');
  const tablesWithRows: string[] = [];
  const binaryStreams: string[] = [];
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.idt') && !name.startsWith('_'))) {
    const lines = readFileSync(resolve(folder, file), 'utf8').split('\r\n').filter((line) => line !== '');
    const types = lines[1].split('\t');
    const rows = lines.slice(3);
    if (rows.length > 0) tablesWithRows.push(file.replace(/\.idt$/, ''));
    types.forEach((type, column) => {
      if (!/^[vV]/.test(type)) return;
      for (const row of rows) {
        const cell = row.split('\t')[column];
        if (cell) binaryStreams.push(cell);
      }
    });
  }
  return { tablesWithRows, binaryStreams };
}

describe('compound files written by real tools', () => {
  const versions = [
    { label: 'version 3 (wixl + msibuild)', path: 'packages/product-trusting.msi', major: 3 },
    { label: 'version 4 (libgsf, 4096-byte sectors)', path: 'packages/reader/product-trusting-v4.msi', major: 4 },
  ];

  for (const { label, path, major } of versions) {
    describe(label, () => {
      const file = open(fixture(path));

      test('the root is the MSI database storage, with its CLSID', () => {
        assert.equal(file.majorVersion, major);
        assert.equal(file.root.kind, 'root');
        assert.equal(formatClsid(file.root.clsid), MSI_CLSID);
      });

      test('the root holds one stream per table with rows, the binary cells, the string pool and the summary', () => {
        const { tablesWithRows, binaryStreams } = idtExpectations();
        const expectedNames = [...tablesWithRows, ...binaryStreams, '_StringPool', '_StringData', '_Tables', '_Columns', '\u0005SummaryInformation'].sort();
        assert.deepEqual(decodedNames(file.root.children), expectedNames);
        assert.ok(file.root.children.every((entry) => entry.kind === 'stream'));
      });

      test('entries keep their raw name bytes, CLSID, state bits and times', () => {
        for (const entry of file.root.children) {
          assert.deepEqual(Buffer.from(entry.nameBytes), Buffer.from(entry.name, 'utf16le'));
          assert.equal(entry.clsid.length, 16);
          assert.equal(entry.created.length, 8);
          assert.equal(entry.modified.length, 8);
          assert.equal(typeof entry.stateBits, 'number');
        }
      });

      test('a binary cell stream holds the certificate msiinfo exported, byte for byte', () => {
        const entry = file.root.children.find((child) => decodeMsiStreamName(child.name).name === 'MsiDigitalCertificate.ContosoPatchSigning');
        assert.ok(entry);
        const bytes = Buffer.from(file.readStream(entry));
        assert.deepEqual(bytes, fixture('packages/product-trusting-idt/MsiDigitalCertificate/MsiDigitalCertificate.ContosoPatchSigning'));
        assert.deepEqual(bytes, fixture('certificates/contoso-patch-signing.cer'));
      });

      test('streamChunks gives the same bytes as readStream', () => {
        for (const entry of file.root.children) {
          const chunks = Buffer.concat([...file.streamChunks(entry)].map((chunk) => Buffer.from(chunk)));
          assert.deepEqual(chunks, Buffer.from(file.readStream(entry)), file.describe(entry));
          assert.equal(chunks.length, entry.size);
        }
      });

      test('rootChild finds a stream by its stored name; describe unpacks names', () => {
        const summary = file.rootChild('\u0005SummaryInformation');
        assert.ok(summary);
        assert.equal(file.describe(summary), '\\x05SummaryInformation');
        const property = file.root.children.find((child) => decodeMsiStreamName(child.name).name === 'Property');
        assert.ok(property);
        assert.equal(file.describe(property), 'Property');
        assert.equal(file.rootChild('\u0005DigitalSignature'), undefined);
      });

      test('readStream refuses a stream larger than the limit it is given', () => {
        const data = file.root.children.find((child) => decodeMsiStreamName(child.name).name === '_StringData');
        assert.ok(data);
        assertUnreadable(() => file.readStream(data, 16), /stream _StringData is \d+ bytes, more than the 16 bytes allowed/);
      });
    });
  }

  test('the version 3 and version 4 files hold the same streams with the same bytes', () => {
    const v3 = open(fixture('packages/product-trusting.msi'));
    const v4 = open(fixture('packages/reader/product-trusting-v4.msi'));
    const bytesByName = (file: CompoundFile): Map<string, string> =>
      new Map(file.root.children.map((entry) => [entry.name, Buffer.from(file.readStream(entry)).toString('hex')]));
    assert.deepEqual(bytesByName(v4), bytesByName(v3));
  });

  test('a package with streams past the mini stream cutoff (3-byte string references) reads in full', () => {
    const file = open(fixture('packages/reader/product-long-string-refs.msi'));
    const large = file.root.children.filter((entry) => entry.size >= 4096);
    assert.ok(large.length >= 2, 'the fixture has regular (non-mini) streams');
    for (const entry of large) {
      const chunks = [...file.streamChunks(entry)];
      assert.equal(chunks.reduce((sum, chunk) => sum + chunk.length, 0), entry.size);
      assert.ok(chunks.every((chunk) => chunk.length <= 1 << 20));
      assert.deepEqual(Buffer.concat(chunks.map((chunk) => Buffer.from(chunk))), Buffer.from(file.readStream(entry)));
    }
  });
});

describe('hostile compound files (test/fixtures/packages/hostile)', () => {
  const cases: Array<[string, RegExp]> = [
    ['fat-cycle.msi', /sector chain loop in the mini stream/],
    ['sector-out-of-range.msi', /sector chain points at sector \d+; the file has 21 sectors/],
    ['absurd-stream-size.msi', /stream Property claims 2147483632 bytes; the file is 11264 bytes/],
    ['truncated.msi', /^truncated: the file is 5632 bytes but its header places FAT sector 0 at sector \d+/],
    ['directory-cycle.msi', /directory cycle: entry \d+ is linked into the tree twice/],
    ['not-a-cfb.msi', /^not a compound file/],
  ];
  for (const [name, reason] of cases) {
    test(`${name}: unreadable, with the reason`, () => {
      assertUnreadable(() => readEverything(open(fixture(`packages/hostile/${name}`))), reason);
    });
  }

  test('string-index-out-of-range.msi is a sound compound file (its damage is in the tables)', () => {
    readEverything(open(fixture('packages/hostile/string-index-out-of-range.msi')));
  });
});

describe('damage to a real package', () => {
  // Offsets found by reading the version 3 header and directory directly.
  function layout(bytes: Buffer): { sectorOffset: (sector: number) => number; entryOffset: (name: string) => number; miniFatOffset: number } {
    const sectorOffset = (sector: number): number => (sector + 1) * 512;
    const fatSector = bytes.readUInt32LE(76);
    const next = (sector: number): number => bytes.readUInt32LE(sectorOffset(fatSector) + sector * 4);
    const directorySectors: number[] = [];
    for (let sector = bytes.readUInt32LE(48); sector !== END_OF_CHAIN; sector = next(sector)) directorySectors.push(sector);
    const entryOffset = (name: string): number => {
      for (const sector of directorySectors) {
        for (let slot = 0; slot < 4; slot++) {
          const offset = sectorOffset(sector) + slot * 128;
          const stored = bytes.toString('utf16le', offset, offset + Math.max(0, bytes.readUInt16LE(offset + 64) - 2));
          if (decodeMsiStreamName(stored).name === name) return offset;
        }
      }
      throw new Error(`no entry ${name}`);
    };
    return { sectorOffset, entryOffset, miniFatOffset: sectorOffset(bytes.readUInt32LE(60)) };
  }
  const product = (): Buffer => Buffer.from(fixture('packages/product-trusting.msi'));

  test('a loop in a mini stream chain', () => {
    const bytes = product();
    const { entryOffset, miniFatOffset } = layout(bytes);
    const start = bytes.readUInt32LE(entryOffset('_StringData') + 116);
    bytes.writeUInt32LE(start, miniFatOffset + start * 4);
    assertUnreadable(() => readEverything(open(bytes)), /sector chain loop in stream _StringData \(mini sector \d+ comes back\)/);
  });

  test('a mini stream chain that ends before the stream does', () => {
    const bytes = product();
    const { entryOffset, miniFatOffset } = layout(bytes);
    const start = bytes.readUInt32LE(entryOffset('_StringData') + 116);
    bytes.writeUInt32LE(END_OF_CHAIN, miniFatOffset + start * 4);
    assertUnreadable(() => readEverything(open(bytes)), /stream _StringData is cut short: its mini sector chain ends after 1 of \d+ mini sectors/);
  });

  test('a stream larger than the mini stream can hold', () => {
    const bytes = product();
    const { entryOffset } = layout(bytes);
    bytes.writeUInt32LE(4000, entryOffset('Property') + 120);
    assertUnreadable(() => readEverything(open(bytes)), /stream Property is (cut short|corrupt)/);
  });

  test('the directory placed past the end of the file', () => {
    const bytes = product();
    bytes.writeUInt32LE(900, 48);
    assertUnreadable(() => open(bytes), /^truncated: the file is 11264 bytes but its header places the directory at sector 900$/);
  });

  test('a directory entry of an unknown type, and a name length over 64 bytes', () => {
    const typed = product();
    typed[layout(typed).entryOffset('Property') + 66] = 3;
    assertUnreadable(() => open(typed), /corrupt directory: entry \d+ has type 3/);
    const named = product();
    named.writeUInt16LE(66, layout(named).entryOffset('Property') + 64);
    assertUnreadable(() => open(named), /corrupt directory: entry \d+ has a name length of 66 bytes/);
  });

  test('a sibling link past the last directory entry', () => {
    const bytes = product();
    bytes.writeUInt32LE(5000, layout(bytes).entryOffset('Property') + 72);
    assertUnreadable(() => open(bytes), /links to entry 5000; the directory has \d+ entries/);
  });

  test('a child link back to the root', () => {
    const bytes = product();
    const offset = layout(bytes).entryOffset('Property');
    bytes[offset + 66] = 1; // now a storage…
    bytes.writeUInt32LE(0, offset + 76); // …whose child is the root
    assertUnreadable(() => open(bytes), /directory cycle: entry 0 is linked into the tree twice/);
  });
});

describe('header checks', () => {
  const product = (): Buffer => Buffer.from(fixture('packages/product-trusting.msi'));
  const cases: Array<[string, (bytes: Buffer) => void, RegExp]> = [
    ['byte order', (bytes) => bytes.writeUInt16LE(0xfeff, 28), /byte order mark 0xfeff instead of 0xfffe/],
    ['version', (bytes) => bytes.writeUInt16LE(5, 26), /unsupported compound file version 5/],
    ['sector shift', (bytes) => bytes.writeUInt16LE(10, 30), /sector shift 10 in a version 3 file \(must be 9\)/],
    ['mini sector shift', (bytes) => bytes.writeUInt16LE(7, 32), /mini sector shift 7 \(must be 6\)/],
    ['mini stream cutoff', (bytes) => bytes.writeUInt32LE(8192, 56), /mini stream cutoff 8192 \(must be 4096\)/],
    ['FAT sector count', (bytes) => bytes.writeUInt32LE(0x7fffffff, 44), /claims 2147483647 FAT sectors; the file has 21 sectors in all/],
    ['signature', (bytes) => bytes.fill(0, 0, 8), /does not start with the compound file signature/],
  ];
  for (const [field, damage, reason] of cases) {
    test(`a bad ${field}`, () => {
      const bytes = product();
      damage(bytes);
      assertUnreadable(() => open(bytes), reason);
    });
  }

  test('files too short for a header', () => {
    assertUnreadable(() => open(new Uint8Array(0)), /^not a compound file: the file is empty$/);
    assertUnreadable(() => open(new Uint8Array(100)), /the file is 100 bytes, shorter than a compound file header/);
    assertUnreadable(() => open(new Uint8Array(1)), /the file is 1 byte, shorter than a compound file header/);
    const v4Header = fixture('packages/reader/product-trusting-v4.msi').subarray(0, 1024);
    assertUnreadable(() => open(v4Header), /^truncated: the file is 1024 bytes, shorter than its 4096-byte header sector$/);
  });
});

describe('layouts no tool here writes', () => {
  const pattern = (length: number, seed: number): Uint8Array => {
    const bytes = new Uint8Array(length);
    let state = seed;
    for (let index = 0; index < length; index++) {
      state = (state * 1103515245 + 12345) >>> 0;
      bytes[index] = state >>> 24;
    }
    return bytes;
  };

  /** Counts the reads a reader makes. */
  function countingSource(bytes: Uint8Array): { source: ByteSource; reads: () => number } {
    const inner = bufferByteSource(bytes);
    let reads = 0;
    return {
      source: { size: inner.size, read: (offset, length) => (reads++, inner.read(offset, length)), close: () => inner.close() },
      reads: () => reads,
    };
  }

  test('version 3 with DIFAT sectors (more than 109 FAT sectors), interleaved chains', () => {
    const streams = [
      { name: 'First', data: pattern(300_000, 1) },
      { name: 'Second', data: pattern(5_000, 2) },
      { name: 'Third', data: pattern(70_000, 3) },
    ];
    const written = writeCompoundFile({ version: 3, streams, interleave: true, paddingSectors: 14_500 });
    assert.ok(written.fatSectors.length > 109 && written.difatSectors.length === 1, 'the layout needs the DIFAT');
    const file = open(written.bytes);
    assert.deepEqual(file.root.children.map((entry) => entry.name), ['First', 'Second', 'Third']);
    for (const [index, entry] of file.root.children.entries()) {
      assert.deepEqual(Buffer.from(file.readStream(entry)), Buffer.from(streams[index].data));
    }
  });

  test('a 3 MiB stream in consecutive sectors is read in 1 MiB pieces, one read each', () => {
    const data = pattern(3 << 20, 4);
    const written = writeCompoundFile({ version: 3, streams: [{ name: 'Cabinet', data }] });
    const { source, reads } = countingSource(written.bytes);
    const file = openCompoundFile(source);
    const before = reads();
    const chunks = [...file.streamChunks(file.root.children[0])];
    assert.deepEqual(chunks.map((chunk) => chunk.length), [1 << 20, 1 << 20, 1 << 20]);
    assert.equal(reads() - before, 3);
    assert.deepEqual(Buffer.concat(chunks.map((chunk) => Buffer.from(chunk))), Buffer.from(data));
  });

  test('version 4 with a multi-megabyte stream', () => {
    const streams = [
      { name: 'Big', data: pattern(5_000_000, 5) },
      { name: 'Small', data: pattern(4_096, 6) },
    ];
    const file = open(writeCompoundFile({ version: 4, streams, interleave: true }).bytes);
    assert.equal(file.majorVersion, 4);
    for (const [index, entry] of file.root.children.entries()) {
      assert.deepEqual(Buffer.concat([...file.streamChunks(entry)].map((chunk) => Buffer.from(chunk))), Buffer.from(streams[index].data));
    }
  });

  test('a loop in the DIFAT', () => {
    const written = writeCompoundFile({ version: 3, streams: [{ name: 'Data', data: pattern(8192, 7) }], paddingSectors: 30_500 });
    assert.equal(written.difatSectors.length, 2);
    const bytes = Buffer.from(written.bytes);
    const first = written.difatSectors[0];
    bytes.writeUInt32LE(first, (first + 1) * 512 + 508);
    assertUnreadable(() => open(bytes), /sector chain loop in the DIFAT \(sector \d+ comes back\)/);
  });

  test('a header that claims fewer DIFAT sectors than its FAT needs', () => {
    const written = writeCompoundFile({ version: 3, streams: [{ name: 'Data', data: pattern(8192, 8) }], paddingSectors: 14_500 });
    const bytes = Buffer.from(written.bytes);
    bytes.writeUInt32LE(0, 72);
    assertUnreadable(() => open(bytes), /FAT sectors need more than the 0 DIFAT sectors it claims/);
  });

  test('a regular stream chain: looping, ending early, running into a free sector, leaving the file', () => {
    const build = (): { bytes: Buffer; fatEntry: (sector: number) => number; chain: number[] } => {
      const written = writeCompoundFile({ version: 3, streams: [{ name: 'Data', data: pattern(10_000, 9) }], interleave: false });
      const bytes = Buffer.from(written.bytes);
      return { bytes, fatEntry: (sector) => (written.fatSectors[0] + 1) * 512 + sector * 4, chain: written.chains[0] };
    };
    const damaged = (edit: (value: ReturnType<typeof build>) => void): Buffer => {
      const value = build();
      edit(value);
      return value.bytes;
    };
    assertUnreadable(
      () => readEverything(open(damaged(({ bytes, fatEntry, chain }) => bytes.writeUInt32LE(chain[0], fatEntry(chain[5]))))),
      /sector chain loop in stream Data \(sector \d+ comes back\)/,
    );
    assertUnreadable(
      () => readEverything(open(damaged(({ bytes, fatEntry, chain }) => bytes.writeUInt32LE(END_OF_CHAIN, fatEntry(chain[5]))))),
      /stream Data is cut short: its sector chain ends after 6 of 20 sectors/,
    );
    assertUnreadable(
      () => readEverything(open(damaged(({ bytes, fatEntry, chain }) => bytes.writeUInt32LE(FREE_SECTOR, fatEntry(chain[5]))))),
      /stream Data is corrupt: its sector chain runs into a free sector after 6 sectors/,
    );
    assertUnreadable(
      () => readEverything(open(damaged(({ bytes, fatEntry, chain }) => bytes.writeUInt32LE(123_456, fatEntry(chain[5]))))),
      /stream Data is corrupt or truncated: its sector chain points at sector 123456; the file has \d+ sectors/,
    );
    // A chain longer than the stream, without a loop, is tolerated.
    const longer = writeCompoundFile({ version: 3, streams: [{ name: 'Data', data: pattern(10_000, 9) }, { name: 'Spare', data: pattern(4096, 10) }] });
    const bytes = Buffer.from(longer.bytes);
    const last = longer.chains[0][longer.chains[0].length - 1];
    bytes.writeUInt32LE(longer.chains[1][0], (longer.fatSectors[0] + 1) * 512 + last * 4);
    const file = open(bytes);
    assert.deepEqual(Buffer.from(file.readStream(file.root.children[0])), Buffer.from(pattern(10_000, 9)));
  });

  test('a directory whose chain loops', () => {
    const written = writeCompoundFile({ version: 3, streams: Array.from({ length: 6 }, (_, index) => ({ name: `S${index}`, data: pattern(4096, index) })) });
    const bytes = Buffer.from(written.bytes);
    const [firstDirectorySector, secondDirectorySector] = written.directorySectors;
    bytes.writeUInt32LE(firstDirectorySector, (written.fatSectors[0] + 1) * 512 + secondDirectorySector * 4);
    assertUnreadable(() => open(bytes), /sector chain loop in the directory/);
  });
});

// ---- A minimal compound file writer for layouts the fixture tools cannot make ---------------

interface WrittenFile {
  bytes: Uint8Array;
  fatSectors: number[];
  difatSectors: number[];
  directorySectors: number[];
  /** Each stream's sectors, in chain order. */
  chains: number[][];
}

/**
 * Root-level streams of 4096 bytes or more (no mini stream), laid out as `paddingSectors` free
 * sectors, the data sectors (one stream after another, or round-robin when `interleave`), the
 * directory, the FAT and the DIFAT. The directory tree is a right-leaning chain.
 */
function writeCompoundFile(options: { version: 3 | 4; streams: Array<{ name: string; data: Uint8Array }>; interleave?: boolean; paddingSectors?: number }): WrittenFile {
  const { version, streams, interleave = false, paddingSectors = 0 } = options;
  const sectorSize = version === 3 ? 512 : 4096;
  const perFatSector = sectorSize / 4;
  assert.ok(streams.every((stream) => stream.data.length >= 4096));
  const sectorCounts = streams.map((stream) => Math.ceil(stream.data.length / sectorSize));
  const dataSectors = sectorCounts.reduce((sum, count) => sum + count, 0);
  const directorySectorCount = Math.ceil(((streams.length + 1) * 128) / sectorSize);
  let fatCount = 1;
  let difatCount = 0;
  for (;;) {
    const total = dataSectors + directorySectorCount + paddingSectors + fatCount + difatCount;
    const neededFat = Math.ceil(total / perFatSector);
    const neededDifat = Math.max(0, Math.ceil((neededFat - 109) / (perFatSector - 1)));
    if (neededFat === fatCount && neededDifat === difatCount) break;
    fatCount = neededFat;
    difatCount = neededDifat;
  }

  // Padding first, so that the streams' FAT entries lie in FAT sectors only the DIFAT lists.
  let next = paddingSectors;
  const chains: number[][] = streams.map(() => []);
  if (interleave) {
    const remaining = [...sectorCounts];
    while (remaining.some((count) => count > 0)) {
      remaining.forEach((count, index) => {
        if (count > 0) {
          chains[index].push(next++);
          remaining[index]--;
        }
      });
    }
  } else {
    sectorCounts.forEach((count, index) => {
      for (let sector = 0; sector < count; sector++) chains[index].push(next++);
    });
  }
  const range = (count: number): number[] => Array.from({ length: count }, () => next++);
  const directorySectors = range(directorySectorCount);
  const fatSectors = range(fatCount);
  const difatSectors = range(difatCount);
  const totalSectors = next;

  const bytes = Buffer.alloc((totalSectors + 1) * sectorSize);
  const at = (sector: number): number => (sector + 1) * sectorSize;

  const fat = new Uint32Array(fatCount * perFatSector).fill(FREE_SECTOR);
  const link = (chain: number[]): void => chain.forEach((sector, index) => (fat[sector] = index + 1 < chain.length ? chain[index + 1] : END_OF_CHAIN));
  chains.forEach(link);
  link(directorySectors);
  for (const sector of fatSectors) fat[sector] = 0xfffffffd;
  for (const sector of difatSectors) fat[sector] = 0xfffffffc;
  fatSectors.forEach((sector, index) => {
    for (let entry = 0; entry < perFatSector; entry++) bytes.writeUInt32LE(fat[index * perFatSector + entry], at(sector) + entry * 4);
  });

  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(bytes, 0);
  bytes.writeUInt16LE(0x3e, 24);
  bytes.writeUInt16LE(version, 26);
  bytes.writeUInt16LE(0xfffe, 28);
  bytes.writeUInt16LE(version === 3 ? 9 : 12, 30);
  bytes.writeUInt16LE(6, 32);
  bytes.writeUInt32LE(version === 3 ? 0 : directorySectorCount, 40);
  bytes.writeUInt32LE(fatCount, 44);
  bytes.writeUInt32LE(directorySectors[0], 48);
  bytes.writeUInt32LE(4096, 56);
  bytes.writeUInt32LE(END_OF_CHAIN, 60);
  bytes.writeUInt32LE(difatSectors[0] ?? END_OF_CHAIN, 68);
  bytes.writeUInt32LE(difatCount, 72);
  for (let index = 0; index < 109; index++) bytes.writeUInt32LE(fatSectors[index] ?? FREE_SECTOR, 76 + index * 4);
  difatSectors.forEach((sector, index) => {
    const perDifat = perFatSector - 1;
    for (let entry = 0; entry < perDifat; entry++) {
      bytes.writeUInt32LE(fatSectors[109 + index * perDifat + entry] ?? FREE_SECTOR, at(sector) + entry * 4);
    }
    bytes.writeUInt32LE(difatSectors[index + 1] ?? END_OF_CHAIN, at(sector) + perDifat * 4);
  });

  const entryOffset = (id: number): number => at(directorySectors[Math.floor((id * 128) / sectorSize)]) + ((id * 128) % sectorSize);
  const writeEntry = (id: number, name: string, type: number, right: number, child: number, start: number, size: number): void => {
    const offset = entryOffset(id);
    bytes.write(name, offset, 'utf16le');
    bytes.writeUInt16LE((name.length + 1) * 2, offset + 64);
    bytes[offset + 66] = type;
    bytes[offset + 67] = 1;
    bytes.writeUInt32LE(0xffffffff, offset + 68);
    bytes.writeUInt32LE(right, offset + 72);
    bytes.writeUInt32LE(child, offset + 76);
    bytes.writeUInt32LE(start, offset + 116);
    bytes.writeUInt32LE(size, offset + 120);
  };
  const entriesPerSector = sectorSize / 128;
  for (let id = 0; id < directorySectorCount * entriesPerSector; id++) {
    const offset = entryOffset(id);
    bytes.writeUInt32LE(0xffffffff, offset + 68);
    bytes.writeUInt32LE(0xffffffff, offset + 72);
    bytes.writeUInt32LE(0xffffffff, offset + 76);
  }
  writeEntry(0, 'Root Entry', 5, 0xffffffff, streams.length > 0 ? 1 : 0xffffffff, END_OF_CHAIN, 0);
  streams.forEach((stream, index) => {
    writeEntry(index + 1, stream.name, 2, index + 2 <= streams.length ? index + 2 : 0xffffffff, 0xffffffff, chains[index][0], stream.data.length);
    chains[index].forEach((sector, position) => {
      const piece = stream.data.subarray(position * sectorSize, (position + 1) * sectorSize);
      Buffer.from(piece.buffer, piece.byteOffset, piece.length).copy(bytes, at(sector));
    });
  });
  return { bytes, fatSectors, difatSectors, directorySectors, chains };
}
