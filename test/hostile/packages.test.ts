// Damaged and hostile packages through the engine and the language server: each must become an
// `unreadable-package` finding (or, for a signature, `invalid-patch-signature`) with its reason,
// within a second and without memory growing by what the file claims. The reader-level cases are
// in test/package/cfb.test.ts and msi-database.test.ts; here the same kinds of damage, and more,
// go through Engine.analyze and readPackages on a real folder, as `wix-uac lint` and the server
// meet them. Each file is a real fixture with one field changed at the offset support/cfb-layout.ts
// documents (or one of the committed test/fixtures/packages/hostile files).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { MAX_STREAM_READ_WHOLE, MAX_ROWS } from '../../server/src/engine/package/msi-database';
import { MAX_SIGNATURE_STREAM_BYTES } from '../../server/src/engine/package/authenticode';
import { INSPECT_REQUEST } from '../../server/src/lsp/server';
import { Editor, uriOf } from '../support/lsp-editor';
import { packageFixture } from '../support/packages';
import { Layout, wholeChainPackage } from './support/cfb-layout';
import { folderWith, removeFolders } from './support/folders';
import { describeMeasurement, MB, measure } from './support/measure';

after(removeFolders);

/** The bound for a damaged package; a reader that followed a lie would take far longer. */
const ONE_SECOND = 1_000;
/** Peak memory a damaged package may cost: the reader's own tables, never what the file claims. */
const SMALL = 32 * MB;

const damaged = (fixture: string, damage: (layout: Layout) => void): (() => Buffer) => () => {
  const layout = new Layout(Buffer.from(packageFixture(fixture)));
  damage(layout);
  return layout.bytes;
};

interface Case {
  damage: string;
  name: string;
  bytes: () => Buffer;
  ruleId?: 'unreadable-package' | 'invalid-patch-signature';
  reason: RegExp;
}

const CASES: Case[] = [
  // The committed set (scripts/fixtures/make-hostile.mjs, test/fixtures/packages/README.md).
  { damage: 'a FAT loop after the mini stream’s last sector', name: 'fat-cycle.msi', bytes: () => packageFixture('hostile/fat-cycle.msi'), reason: /sector chain loop in the mini stream/ },
  { damage: 'a sector chain pointing 1000 sectors past the end', name: 'sector-out-of-range.msi', bytes: () => packageFixture('hostile/sector-out-of-range.msi'), reason: /sector chain points at sector \d+; the file has 21 sectors/ },
  { damage: 'a directory entry linked back to its parent', name: 'directory-cycle.msi', bytes: () => packageFixture('hostile/directory-cycle.msi'), reason: /directory cycle: entry \d+ is linked into the tree twice/ },
  { damage: 'a table stream claiming 2 GB in an 11 KB file', name: 'absurd-stream-size.msi', bytes: () => packageFixture('hostile/absurd-stream-size.msi'), reason: /stream Property claims 2147483632 bytes; the file is 11264 bytes/ },
  { damage: 'the first half of a package', name: 'truncated.msi', bytes: () => packageFixture('hostile/truncated.msi'), reason: /(^|: )truncated: the file is 5632 bytes but its header places FAT sector 0 at sector \d+/ },
  { damage: 'a string id past the end of the string pool', name: 'string-index-out-of-range.msi', bytes: () => packageFixture('hostile/string-index-out-of-range.msi'), reason: /table Property, row 1, column Property: string id \d+ is not in the string pool/ },
  { damage: 'a text file', name: 'not-a-cfb.msi', bytes: () => packageFixture('hostile/not-a-cfb.msi'), reason: /(^|: )not a compound file: the file is 85 bytes/ },
  // One field of a real package changed here.
  {
    damage: 'a mini sector chain that comes back to its start',
    name: 'mini-loop.msi',
    bytes: damaged('product-trusting.msi', (layout) => layout.bytes.writeUInt32LE(layout.field('_StringData', 'start'), layout.miniFatEntryOffset(layout.field('_StringData', 'start')))),
    reason: /sector chain loop in stream _StringData \(mini sector \d+ comes back\)/,
  },
  {
    damage: 'a mini sector chain leaving the mini stream',
    name: 'mini-out-of-range.msi',
    bytes: damaged('product-trusting.msi', (layout) => layout.bytes.writeUInt32LE(100_000, layout.miniFatEntryOffset(layout.field('_StringData', 'start')))),
    reason: /stream _StringData is corrupt: its mini sector chain points at mini sector 100000; the mini stream has \d+/,
  },
  {
    damage: 'a directory chain that loops',
    name: 'directory-loop.msi',
    bytes: damaged('product-trusting.msi', (layout) => {
      const directory = layout.chain(layout.bytes.readUInt32LE(48));
      layout.bytes.writeUInt32LE(directory[0], layout.fatEntryOffset(directory[directory.length - 1]));
    }),
    reason: /sector chain loop in the directory/,
  },
  {
    damage: 'a directory entry that is its own sibling',
    name: 'own-sibling.msi',
    bytes: damaged('product-trusting.msi', (layout) => layout.setField('Property', 'left', layout.entryIndex('Property'))),
    reason: /directory cycle: entry \d+ is linked into the tree twice/,
  },
  {
    damage: 'a storage whose child is the root',
    name: 'child-is-root.msi',
    bytes: damaged('product-trusting.msi', (layout) => {
      layout.bytes[layout.entryOffset('Property') + 66] = 1;
      layout.setField('Property', 'child', 0);
    }),
    reason: /directory cycle: entry 0 is linked into the tree twice/,
  },
  {
    damage: 'a sibling link past the last directory entry',
    name: 'sibling-out-of-range.msi',
    bytes: damaged('product-trusting.msi', (layout) => layout.setField('Property', 'right', 0x7fffffff)),
    reason: /links to entry 2147483647; the directory has \d+ entries/,
  },
  {
    damage: 'a mini stream (_StringData) claiming 2 GB',
    name: 'mini-2gb.msi',
    bytes: damaged('product-trusting.msi', (layout) => layout.setField('_StringData', 'size', 0x7ffff000)),
    reason: /stream _StringData claims 2147479552 bytes; the file is 11264 bytes/,
  },
  {
    damage: 'the mini stream itself (the root entry) claiming 2 GB',
    name: 'root-2gb.msi',
    bytes: damaged('product-trusting.msi', (layout) => layout.setField('Root Entry', 'size', 0x7fffffc0)),
    reason: /claims 2147483584 bytes; the file is 11264 bytes/,
  },
  {
    damage: 'a table stream claiming 4 GB - 1',
    name: 'table-4gb.msi',
    bytes: damaged('product-trusting.msi', (layout) => layout.setField('Property', 'size', 0xffffffff)),
    reason: /stream Property claims 4294967295 bytes/,
  },
  {
    damage: 'a version 4 stream claiming 4 GB through the high half of its size',
    name: 'v4-high-size.msi',
    bytes: damaged('reader/product-trusting-v4.msi', (layout) => layout.setField('Property', 'sizeHigh', 1)),
    reason: /stream Property claims 4294967\d{3} bytes; the file is 24576 bytes/,
  },
  {
    damage: 'a version 4 stream claiming 2^64 - 2^32 + its size, past what a JavaScript number holds exactly',
    name: 'v4-size-beyond-2-53.msi',
    bytes: damaged('reader/product-trusting-v4.msi', (layout) => layout.setField('Property', 'sizeHigh', 0xffffffff)),
    // The size as the file states it (0xFFFFFFFF in the high half), not 18446744069414584000.
    reason: /stream Property claims 18446744069414584(?!000)\d{3} bytes; the file is 24576 bytes/,
  },
  {
    damage: 'a header claiming 2^31 FAT sectors',
    name: 'fat-count.msi',
    bytes: damaged('product-trusting.msi', (layout) => layout.bytes.writeUInt32LE(0x7fffffff, 44)),
    reason: /claims 2147483647 FAT sectors; the file has 21 sectors in all/,
  },
  {
    damage: 'string data 100 bytes shorter than the string pool says',
    name: 'short-string-data.msi',
    bytes: damaged('product-trusting.msi', (layout) => layout.setField('_StringData', 'size', layout.field('_StringData', 'size') - 100)),
    reason: /runs past the end of _StringData/,
  },
  {
    damage: 'a patch whose signature stream claims 2 GB',
    name: 'signature-2gb.msp',
    bytes: damaged('patch-sha256.msp', (layout) => layout.setField('\u0005DigitalSignature', 'size', 0x7ffffff0)),
    reason: /stream \\x05DigitalSignature claims 2147483632 bytes/,
  },
  {
    damage: 'a patch whose MsiDigitalSignatureEx stream claims 2 GB',
    name: 'prehash-2gb.msp',
    bytes: damaged('patch-sha256-dse.msp', (layout) => layout.setField('\u0005MsiDigitalSignatureEx', 'size', 0x7ffffff0)),
    reason: /stream \\x05MsiDigitalSignatureEx claims 2147483632 bytes/,
  },
  {
    damage: 'a patch whose signature stream chain leaves the file',
    name: 'signature-chain.msp',
    bytes: damaged('patch-sha256.msp', (layout) => layout.setField('\u0005DigitalSignature', 'size', 5000)),
    ruleId: 'invalid-patch-signature',
    reason: /the signature stream could not be read: stream \\x05DigitalSignature is corrupt or truncated/,
  },
];

/** The one finding on `file`, whatever the rule. */
function onlyFinding(findings: { ruleId: string; file: string; message: string }[], file: string): { ruleId: string; message: string } {
  const onFile = findings.filter((finding) => finding.file === file);
  assert.equal(onFile.length, 1, `findings on ${path.basename(file)}: ${JSON.stringify(onFile)}`);
  return onFile[0];
}

describe('damaged packages through the engine', () => {
  for (const { damage, name, bytes, ruleId = 'unreadable-package', reason } of CASES) {
    it(`${damage} (${name}): ${ruleId}, with the reason, within a second`, (t) => {
      const folder = folderWith({ [name]: bytes() });
      const measured = measure('analyze', { roots: [folder], inspect: [path.join(folder, name)] });
      t.diagnostic(`${name}: ${describeMeasurement(measured)}`);
      assert.ok(measured.ms < ONE_SECOND, describeMeasurement(measured));
      assert.ok(measured.peakRssGrowth < SMALL, describeMeasurement(measured));
      const finding = onlyFinding(measured.value.findings, path.join(folder, name));
      assert.equal(finding.ruleId, ruleId);
      assert.match(finding.message, reason);
      // The package view says the same instead of showing tables.
      if (ruleId === 'unreadable-package') assert.match((measured.value.inspections[0] as { error: string }).error, reason);
    });
  }

  it('a package cut at every sector boundary, and one byte short of each: all unreadable-package, none over a second', (t) => {
    const files: Record<string, Buffer> = {};
    for (const fixture of ['product-trusting.msi', 'patch-sha256.msp']) {
      const whole = packageFixture(fixture);
      for (let cut = 0; cut < whole.length; cut += 512) {
        files[`${cut}-${fixture}`] = whole.subarray(0, cut);
        if (cut > 0) files[`${cut - 1}-${fixture}`] = whole.subarray(0, cut - 1);
      }
    }
    const folder = folderWith(files);
    const measured = measure('readPackagesThenAnalyze', { roots: [folder] });
    t.diagnostic(`${Object.keys(files).length} cut packages: ${describeMeasurement(measured)}`);
    assert.ok(measured.ms < ONE_SECOND * Object.keys(files).length, describeMeasurement(measured));
    assert.ok(measured.peakRssGrowth < SMALL, describeMeasurement(measured));
    assert.equal(measured.value.progress.length, Object.keys(files).length, 'readPackages reported each file');
    for (const name of Object.keys(files)) assert.equal(onlyFinding(measured.value.findings, path.join(folder, name)).ruleId, 'unreadable-package', name);
  });
});

// ---- 2 GB that the file really has ------------------------------------------------------------

/**
 * A package of 2.25 GB, sparse on disk: its stream `stream` is moved to a whole, sound chain of
 * `size` bytes. Nothing in it lies about sizes, so only the reader's own limits keep it from
 * reading gigabytes. (NTFS files are not sparse unless asked: there this would write 2 GB.)
 */
function sparsePackage(fixture: string, stream: string, size: number): { folder: string; file: string } {
  const folder = folderWith({});
  const file = path.join(folder, `sparse-${fixture}`);
  const { writes, fileSize } = wholeChainPackage(packageFixture(fixture), stream, size, 0x90000000);
  const handle = fs.openSync(file, 'w');
  try {
    for (const { offset, bytes } of writes) fs.writeSync(handle, bytes, 0, bytes.length, offset);
    fs.ftruncateSync(handle, fileSize);
  } finally {
    fs.closeSync(handle);
  }
  return { folder, file };
}

const TWO_GB = 0x7ffff000;
const SPARSE: Array<{ what: string; fixture: string; stream: string; ruleId: string; reason: RegExp }> = [
  {
    what: 'the string data',
    fixture: 'product-trusting.msi',
    stream: '_StringData',
    ruleId: 'unreadable-package',
    reason: new RegExp(`stream _StringData is ${TWO_GB} bytes, more than the ${MAX_STREAM_READ_WHOLE} bytes allowed`),
  },
  {
    what: 'a table',
    fixture: 'product-trusting.msi',
    stream: 'Property',
    ruleId: 'unreadable-package',
    reason: new RegExp(`the tables hold more than ${MAX_ROWS} rows \\(table Property has ${TWO_GB / 4}\\)`),
  },
  {
    what: 'a patch’s signature',
    fixture: 'patch-sha256.msp',
    stream: '\u0005DigitalSignature',
    ruleId: 'invalid-patch-signature',
    reason: new RegExp(`the signature stream is ${TWO_GB} bytes; signatures are a few KiB, and streams over ${MAX_SIGNATURE_STREAM_BYTES} bytes are not read`),
  },
];

describe('a 2 GB stream with a whole sector chain in a 2.25 GB (sparse) file', { skip: process.platform === 'win32' && 'needs sparse files' }, () => {
  for (const { what, fixture, stream, ruleId, reason } of SPARSE) {
    it(`${what}: ${ruleId} within a second, memory far below the 2 GB claimed`, (t) => {
      const { folder, file } = sparsePackage(fixture, stream, TWO_GB);
      const measured = measure('readPackagesThenAnalyze', { roots: [folder] });
      t.diagnostic(`${what}: ${describeMeasurement(measured)}`);
      assert.ok(measured.ms < ONE_SECOND, describeMeasurement(measured));
      // The FAT of a 2.25 GB file is 18 MB, read once: that and no more.
      assert.ok(measured.peakRssGrowth < 2 * SMALL, describeMeasurement(measured));
      const finding = onlyFinding(measured.value.findings, file);
      assert.equal(finding.ruleId, ruleId);
      assert.match(finding.message, reason);
    });
  }

  it('the layout is sound: with the stream at a real size, the package reads as the original does', () => {
    const realSize = new Layout(packageFixture('product-trusting.msi')).field('_StringData', 'size');
    // 4096 zero bytes more than the pool uses, so the stream leaves the mini stream for a whole chain, as above.
    const { folder, file } = sparsePackage('product-trusting.msi', '_StringData', realSize + 4096);
    const original = folderWith({ 'product-trusting.msi': packageFixture('product-trusting.msi') });
    const seen = (root: string, name: string) => {
      const shown = measure('analyze', { roots: [root], inspect: [path.join(root, name)] }).value;
      return { findings: shown.findings.map((finding) => finding.ruleId), tables: shown.inspections[0] };
    };
    const sparse = seen(folder, path.basename(file));
    assert.deepEqual(sparse, seen(original, 'product-trusting.msi'));
    assert.ok(sparse.tables && 'tables' in sparse.tables && sparse.tables.tables.includes('MsiPatchCertificate'));
  });
});

// ---- Through the language server --------------------------------------------------------------

describe('the language server on a folder of damaged packages', { timeout: 120_000 }, () => {
  let editor: Editor | undefined;
  after(() => editor?.kill());

  it('publishes each one its finding, answers the package view with the reason, and shuts down cleanly', async () => {
    const folder = folderWith(Object.fromEntries(CASES.map(({ name, bytes }) => [name, bytes()])));
    editor = Editor.start();
    await editor.initialize({ folder, capabilities: { window: { workDoneProgress: true } } });
    for (const { name, ruleId = 'unreadable-package', reason } of CASES) {
      const [diagnostic] = await editor.latestDiagnostics(uriOf(path.join(folder, name)), ruleId, (diagnostics: Diagnostic[]) => diagnostics.some((candidate) => candidate.code === ruleId));
      assert.match(String(diagnostic.message), reason, name);
    }
    const view = await editor.request<{ error?: string }>({ method: INSPECT_REQUEST }, { uri: uriOf(path.join(folder, 'directory-cycle.msi')) });
    assert.match(view.error ?? '', /directory cycle/);
    assert.equal(await editor.stop(), 0);
  });
});
