// Targets `cfb` and `msi`: built packages (.msi/.msp) through the compound-file reader, the MSI
// database reader (string pool, _Tables, _Columns, table streams, summary information), the
// Authenticode check with the MSI content digest, the database model and the package view —
// what the engine does with a package (package/reader.ts), without its catch-all, so a bug
// shows as a crash instead of an "internal error" reason.
//
// `cfb` damages the container: one header field, FAT or mini FAT entry, directory entry, chain
// or the file's length of a valid package, or bytes anywhere in a fixture. `msi` keeps the
// container valid and damages what is inside: string pool entries, table cells, column types,
// the summary information property set, stream names and kinds. When the only change is a flipped
// byte inside a stream of a signed package, the signature must not be valid any more.

import * as fc from 'fast-check';
import { verifyPackageSignature } from '../../server/src/engine/package/authenticode';
import { bufferByteSource, type ByteSource } from '../../server/src/engine/package/byte-source';
import { openCompoundFile, UnreadablePackageError, type CfbEntry, type CompoundFile } from '../../server/src/engine/package/cfb';
import { inspectDatabase } from '../../server/src/engine/package/inspect';
import { buildDatabaseModel } from '../../server/src/engine/package/model';
import { listPackageStreams, readMsiDatabase } from '../../server/src/engine/package/msi-database';
import { encodeMsiStreamName } from '../../server/src/engine/package/msi-names';
import { cloneTree, writeCfb, type CfbLayout, type CfbNode } from './cfb-writer';
import { seedsMatching } from './corpus';
import { applyByteEdits, byteEdits, corpusPick, INTERESTING_U16, INTERESTING_U32, writeLe, type ByteEdit } from './mutate';
import { assertNoLeakedBug, invariant, type FuzzTarget, type InputFiles } from './target';

export interface PackageInput {
  bytes: Uint8Array;
  /** Set when the input is a signed package with a byte of a signed stream flipped. */
  tampered?: boolean;
  /**
   * The size of the file when it is larger than `bytes`: the rest reads as zeros. Lets a few KB
   * stand for a file of megabytes (a FAT that needs DIFAT sectors) or gigabytes.
   */
  size?: number;
}

// ---- Seeds -----------------------------------------------------------------------------------

export interface PackageSeed {
  path: string;
  bytes: Uint8Array;
  /** The package as a tree, for rewriting it with changes; undefined for damaged fixtures. */
  tree?: CfbNode;
  version: 3 | 4;
  signed: boolean;
}

let packageSeedCache: PackageSeed[] | undefined;

/** Every package of the fixtures and examples, read once with the project's reader. */
export function packageSeeds(): PackageSeed[] {
  packageSeedCache ??= seedsMatching(/\.(msi|msp|mst)$/i).map((file) => {
    let tree: CfbNode | undefined;
    let version: 3 | 4 = 3;
    let signed = false;
    try {
      const cfb = openCompoundFile(bufferByteSource(file.bytes));
      version = cfb.majorVersion === 4 ? 4 : 3;
      tree = toTree(cfb, cfb.root);
      signed = verifyPackageSignature(cfb).state === 'valid';
    } catch {
      // A damaged fixture (hostile/): used as bytes only.
    }
    return { path: file.path, bytes: file.bytes, tree, version, signed };
  });
  return packageSeedCache;
}

function toTree(file: CompoundFile, entry: CfbEntry): CfbNode {
  return {
    name: entry.name,
    kind: entry.kind,
    clsid: entry.clsid,
    stateBits: entry.stateBits,
    created: entry.created,
    modified: entry.modified,
    data: entry.kind === 'stream' ? file.readStream(entry) : new Uint8Array(0),
    children: entry.children.map((child) => toTree(file, child)),
  };
}

// ---- Container damage (cfb) ------------------------------------------------------------------

/** A value for a damaged field: an edge value, one near the file's sector count or entry count, or any. */
type FieldValue = { kind: 'edge'; value: number } | { kind: 'nearSectors'; delta: number } | { kind: 'nearEntries'; delta: number } | { kind: 'any'; value: number };

const fieldValue: fc.Arbitrary<FieldValue> = fc.oneof(
  fc.record({ kind: fc.constant('edge' as const), value: fc.constantFrom(...INTERESTING_U32) }),
  fc.record({ kind: fc.constant('nearSectors' as const), delta: fc.integer({ min: -3, max: 3 }) }),
  fc.record({ kind: fc.constant('nearEntries' as const), delta: fc.integer({ min: -2, max: 2 }) }),
  fc.record({ kind: fc.constant('any' as const), value: fc.nat() }),
);

const HEADER_FIELDS: Array<[number, number]> = [
  [26, 2], [28, 2], [30, 2], [32, 2], [40, 4], [44, 4], [48, 4], [56, 4], [60, 4], [64, 4], [68, 4], [72, 4], [76, 4], [80, 4], [84, 4],
];
const ENTRY_FIELDS: Array<[number, number]> = [[64, 2], [66, 1], [67, 1], [68, 4], [72, 4], [76, 4], [96, 4], [116, 4], [120, 4], [124, 4], [0, 2], [2, 2]];

type ContainerEdit =
  | { op: 'header'; field: number; value: FieldValue }
  | { op: 'fat'; which: number; value: FieldValue }
  | { op: 'minifat'; which: number; value: FieldValue }
  | { op: 'entry'; id: number; field: number; value: FieldValue }
  | { op: 'loop'; id: number; back: number }
  | { op: 'cut'; id: number; at: number }
  | { op: 'truncate'; sectors: number; extra: number }
  | { op: 'bytes'; edits: ByteEdit[] };

const containerEdit: fc.Arbitrary<ContainerEdit> = fc.oneof(
  fc.record({ op: fc.constant('header' as const), field: fc.nat(), value: fieldValue }),
  fc.record({ op: fc.constant('fat' as const), which: fc.nat(), value: fieldValue }),
  fc.record({ op: fc.constant('minifat' as const), which: fc.nat(), value: fieldValue }),
  fc.record({ op: fc.constant('entry' as const), id: fc.nat(), field: fc.nat(), value: fieldValue }),
  fc.record({ op: fc.constant('loop' as const), id: fc.nat(), back: fc.nat() }),
  fc.record({ op: fc.constant('cut' as const), id: fc.nat(), at: fc.nat() }),
  fc.record({ op: fc.constant('truncate' as const), sectors: fc.nat(), extra: fc.integer({ min: 0, max: 511 }) }),
  fc.record({ op: fc.constant('bytes' as const), edits: byteEdits(2) }),
);

function resolveValue(value: FieldValue, layout: CfbLayout): number {
  switch (value.kind) {
    case 'edge':
    case 'any':
      return value.value;
    case 'nearSectors':
      return Math.max(0, layout.sectorCount + value.delta);
    case 'nearEntries':
      return Math.max(0, layout.nodes.length + value.delta);
  }
}

function applyContainerEdits(bytes: Uint8Array, layout: CfbLayout, edits: readonly ContainerEdit[]): Uint8Array {
  let out: Uint8Array = Uint8Array.from(bytes);
  const sectorOffset = (sector: number): number => (sector + 1) * layout.sectorSize;
  const fatEntryOffset = (sector: number): number => sectorOffset(layout.fatSectors[Math.floor(sector / (layout.sectorSize / 4))]) + (sector % (layout.sectorSize / 4)) * 4;
  const miniFatEntryOffset = (mini: number): number | undefined => {
    const sector = layout.miniFatSectors[Math.floor(mini / (layout.sectorSize / 4))];
    return sector === undefined ? undefined : sectorOffset(sector) + (mini % (layout.sectorSize / 4)) * 4;
  };
  const streamIds = layout.chains.map((chain, id) => (chain ? id : -1)).filter((id) => id >= 0);
  for (const edit of edits) {
    switch (edit.op) {
      case 'header': {
        const [offset, width] = HEADER_FIELDS[edit.field % HEADER_FIELDS.length];
        writeLe(out, offset, resolveValue(edit.value, layout), width);
        break;
      }
      case 'fat':
        writeLe(out, fatEntryOffset(edit.which % layout.sectorCount), resolveValue(edit.value, layout), 4);
        break;
      case 'minifat': {
        const count = (layout.miniFatSectors.length * layout.sectorSize) / 4;
        const offset = count > 0 ? miniFatEntryOffset(edit.which % count) : undefined;
        if (offset !== undefined) writeLe(out, offset, resolveValue(edit.value, layout), 4);
        break;
      }
      case 'entry': {
        const [offset, width] = ENTRY_FIELDS[edit.field % ENTRY_FIELDS.length];
        writeLe(out, layout.entryOffsets[edit.id % layout.entryOffsets.length] + offset, resolveValue(edit.value, layout), width);
        break;
      }
      case 'loop':
      case 'cut': {
        // A loop (the last sector links back into its chain) or an early end in one stream's chain.
        if (streamIds.length === 0) break;
        const chain = layout.chains[streamIds[edit.id % streamIds.length]]!;
        const from = edit.op === 'loop' ? chain.sectors.length - 1 : edit.at % chain.sectors.length;
        const to = edit.op === 'loop' ? chain.sectors[edit.back % chain.sectors.length] : 0xfffffffe;
        const offset = chain.mini ? miniFatEntryOffset(chain.sectors[from]) : fatEntryOffset(chain.sectors[from]);
        if (offset !== undefined) writeLe(out, offset, to, 4);
        break;
      }
      case 'truncate':
        out = out.subarray(0, Math.min(out.length, (edit.sectors % (layout.sectorCount + 1)) * layout.sectorSize + edit.extra));
        break;
      case 'bytes':
        out = applyByteEdits(out, edit.edits);
        break;
    }
  }
  return out;
}

function rewritten(seeds: PackageSeed[]): PackageSeed[] {
  return seeds.filter((seed) => seed.tree !== undefined && seed.bytes.length <= 64 * 1024);
}

const containerDamage = (seeds: PackageSeed[]): fc.Arbitrary<PackageInput> =>
  fc
    .record({ seed: fc.constantFrom(...rewritten(seeds)), edits: fc.array(containerEdit, { minLength: 1, maxLength: 3 }) })
    .map(({ seed, edits }) => {
      const { bytes, layout } = writeCfb(seed.tree!, seed.version);
      return { bytes: applyContainerEdits(bytes, layout, edits) };
    });

/**
 * A package grown to a file of millions of sectors (zeros after the real bytes), so its FAT
 * needs more than the header's 109 locations: a DIFAT sector after the real bytes lists the rest,
 * and the header claims FAT and DIFAT sector counts near the right ones.
 */
const grownFile = (seeds: PackageSeed[]): fc.Arbitrary<PackageInput> =>
  fc
    .record({
      seed: fc.constantFrom(...rewritten(seeds).filter((seed) => seed.version === 3)),
      extraSectors: fc.constantFrom(14_000, 20_000, 130_000, 4_000_000),
      fatDelta: fc.integer({ min: -2, max: 2 }),
      difatCount: fc.constantFrom(0, 1, 2, 0xffffffff),
      next: fc.constantFrom<'end' | 'self' | 'free' | 'past'>('end', 'self', 'free', 'past'),
      edits: fc.array(containerEdit, { maxLength: 2 }),
    })
    .map(({ seed, extraSectors, fatDelta, difatCount, next, edits }) => {
      const { bytes: written, layout } = writeCfb(seed.tree!, 3);
      const damaged = applyContainerEdits(written, layout, edits);
      // One more real sector: the DIFAT, naming the first FAT sector again and again.
      const difatSector = layout.sectorCount;
      const bytes = new Uint8Array(damaged.length + 512);
      bytes.set(damaged);
      const size = (layout.sectorCount + 1 + extraSectors + 1) * 512;
      const fatSectors = Math.ceil((size / 512 - 1) / 128) + fatDelta;
      for (let i = 0; i < 109; i++) writeLe(bytes, 76 + i * 4, layout.fatSectors[i] ?? layout.fatSectors[0], 4);
      const difat = (difatSector + 1) * 512;
      for (let i = 0; i < 127; i++) writeLe(bytes, difat + i * 4, layout.fatSectors[0], 4);
      writeLe(bytes, difat + 508, { end: 0xfffffffe, self: difatSector, free: 0xffffffff, past: size / 512 + 5 }[next], 4);
      writeLe(bytes, 44, Math.max(0, fatSectors), 4);
      writeLe(bytes, 68, difatSector, 4);
      writeLe(bytes, 72, difatCount, 4);
      return { bytes, size };
    });

const rawDamage = (corpus: PackageInput[]): fc.Arbitrary<PackageInput> =>
  fc.record({ base: corpusPick(corpus), edits: byteEdits(4) }).map(({ base, edits }) => ({ bytes: applyByteEdits(base.bytes, edits), ...(base.size ? { size: base.size } : {}) }));

// ---- Content damage (msi) --------------------------------------------------------------------

const TABLE_MARK = '\u4840';
const SUMMARY = '\u0005SummaryInformation';
const SIGNATURE = '\u0005DigitalSignature';
const PREHASH = '\u0005MsiDigitalSignatureEx';

type ContentEdit =
  | { op: 'pool'; entry: number; half: number; value: number }
  | { op: 'poolHeader'; value: number }
  | { op: 'cell'; stream: number; at: number; width: 2 | 3 | 4; value: number }
  | { op: 'stream'; stream: number; edits: ByteEdit[] }
  | { op: 'summary'; propertySet: Uint8Array }
  | { op: 'rename'; stream: number; to: string }
  | { op: 'remove'; stream: number }
  | { op: 'toStorage'; stream: number }
  | { op: 'rootClsid'; value: Uint8Array };

/** The root CLSIDs of a package, a patch and a transform ({000C1084-…}, {000C1086-…}, {000C1082-…}) as stored. */
const CLSIDS = ['84100C0000000000C000000000000046', '86100C0000000000C000000000000046', '82100C0000000000C000000000000046'].map((hex) => new Uint8Array(Buffer.from(hex, 'hex')));

const STREAM_NAMES = [
  SUMMARY, SIGNATURE, PREHASH, encodeMsiStreamName('_StringPool', true), encodeMsiStreamName('_StringData', true), encodeMsiStreamName('_Tables', true),
  encodeMsiStreamName('_Columns', true), encodeMsiStreamName('Property', true), encodeMsiStreamName('MsiDigitalCertificate', true),
  encodeMsiStreamName('MsiPatchCertificate', true), encodeMsiStreamName('Property', false), 'Property', '', 'x'.repeat(31), TABLE_MARK,
  encodeMsiStreamName('MsiDigitalCertificate.ContosoPatchSigning', false), '\u0001CompObj', '\u0005DocumentSummaryInformation',
];

/** A property set stream ([MS-OLEPS]) built field by field, then told to lie about one count, size or offset. */
const propertySet: fc.Arbitrary<Uint8Array> = fc
  .record({
    byteOrder: fc.oneof({ weight: 9, arbitrary: fc.constant(0xfffe) }, { weight: 1, arbitrary: fc.constantFrom(0xfeff, 0) }),
    setCount: fc.oneof({ weight: 9, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constantFrom(0, 2, 0xffffffff) }),
    properties: fc.array(
      fc.record({
        id: fc.oneof(fc.integer({ min: 1, max: 19 }), fc.constantFrom(0, 0x80000000, 0xffffffff)),
        type: fc.constantFrom(2, 3, 30, 31, 64, 0, 1, 0x101e, 0xffff),
        value: fc.oneof(
          fc.integer({ min: -0x80000000, max: 0x7fffffff }),
          fc.constantFrom('Intel;1033', '{6A1F2C3D-0000-4000-8000-00000000C0A1}', '', 'x'.repeat(2000), 'é', '\u0000abc'),
          fc.bigInt({ min: 0n, max: 0xffffffffffffffffn }),
        ),
      }),
      { maxLength: 12 },
    ),
    lie: fc.option(fc.record({ what: fc.constantFrom('size', 'count', 'offset', 'length', 'sectionOffset'), value: fc.constantFrom(...INTERESTING_U32) }), { freq: 2 }),
  })
  .map(({ byteOrder, setCount, properties, lie }) => {
    const values: Buffer[] = [];
    const entries: Array<[number, number]> = [];
    let offset = 8 + properties.length * 8;
    let lengthAt = -1;
    for (const property of properties) {
      const value = encodeProperty(property.type, property.value);
      if (lengthAt < 0 && (property.type === 30 || property.type === 31)) lengthAt = 48 + offset + 4;
      entries.push([property.id, offset]);
      values.push(value);
      offset += value.length;
    }
    const section = Buffer.alloc(offset);
    section.writeUInt32LE(offset, 0);
    section.writeUInt32LE(properties.length, 4);
    entries.forEach(([id, at], index) => {
      section.writeUInt32LE(id >>> 0, 8 + index * 8);
      section.writeUInt32LE(at, 12 + index * 8);
    });
    Buffer.concat(values).copy(section, 8 + properties.length * 8);
    const header = Buffer.alloc(48);
    header.writeUInt16LE(byteOrder, 0);
    header.writeUInt32LE(setCount >>> 0, 24);
    Buffer.from('E0859FF2F94F6810AB9108002B27B3D9', 'hex').copy(header, 28);
    header.writeUInt32LE(48, 44);
    const bytes = Buffer.concat([header, section]);
    if (lie) {
      const at = { size: 48, count: 52, offset: 60, length: lengthAt, sectionOffset: 44 }[lie.what];
      if (at >= 0 && at + 4 <= bytes.length) bytes.writeUInt32LE(lie.value >>> 0, at);
    }
    return new Uint8Array(bytes);
  });

function encodeProperty(type: number, value: number | string | bigint): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(type & 0xffff, 0);
  if (type === 30 || type === 31) {
    const text = typeof value === 'string' ? value : String(value);
    const body = type === 31 ? Buffer.from(`${text}\0`, 'utf16le') : Buffer.from(`${text}\0`, 'latin1');
    const count = Buffer.alloc(4);
    count.writeUInt32LE(type === 31 ? body.length / 2 : body.length, 0);
    const padded = Buffer.alloc(Math.ceil(body.length / 4) * 4);
    body.copy(padded);
    return Buffer.concat([head, count, padded]);
  }
  const body = Buffer.alloc(8);
  if (typeof value === 'bigint') body.writeBigUInt64LE(value, 0);
  else if (typeof value === 'number') body.writeInt32LE(value | 0, 0);
  return Buffer.concat([head, type === 64 || typeof value === 'bigint' ? body : body.subarray(0, 4)]);
}

const contentEdit: fc.Arbitrary<ContentEdit> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('pool' as const), entry: fc.nat(), half: fc.integer({ min: 0, max: 1 }), value: fc.oneof(fc.constantFrom(...INTERESTING_U16), fc.integer({ min: 0, max: 0xffff })) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('poolHeader' as const), value: fc.constantFrom(0, 1252, 65001, 1200, 932, 0x80000000, 0x800004e4, 0x7fffffff, 0xffffffff, 20127, 54936) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('cell' as const), stream: fc.nat(), at: fc.nat(), width: fc.constantFrom(2 as const, 3 as const, 4 as const), value: fc.oneof(fc.constantFrom(...INTERESTING_U32), fc.nat({ max: 0xffff })) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('stream' as const), stream: fc.nat(), edits: byteEdits(2) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('summary' as const), propertySet }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('rename' as const), stream: fc.nat(), to: fc.constantFrom(...STREAM_NAMES) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('remove' as const), stream: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('toStorage' as const), stream: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('rootClsid' as const), value: fc.oneof(fc.constantFrom(...CLSIDS), fc.uint8Array({ minLength: 16, maxLength: 16 })) }) },
);

/** Root streams, tables first: the ones the database reader reads. */
function streamsOf(root: CfbNode): CfbNode[] {
  return [...root.children].sort((a, b) => Number(b.name.startsWith(TABLE_MARK)) - Number(a.name.startsWith(TABLE_MARK)));
}

function applyContentEdits(root: CfbNode, edits: readonly ContentEdit[]): void {
  const named = (name: string): CfbNode | undefined => root.children.find((child) => child.name === name);
  for (const edit of edits) {
    const streams = streamsOf(root);
    if (streams.length === 0) return;
    switch (edit.op) {
      case 'pool':
      case 'poolHeader': {
        const pool = named(encodeMsiStreamName('_StringPool', true));
        if (!pool || pool.data.length < 4) break;
        const data = Uint8Array.from(pool.data);
        if (edit.op === 'poolHeader') writeLe(data, 0, edit.value, 4);
        else writeLe(data, 4 + ((edit.entry % Math.max(1, (data.length - 4) >> 2)) << 2) + edit.half * 2, edit.value, 2);
        pool.data = data;
        break;
      }
      case 'cell': {
        const stream = streams[edit.stream % streams.length];
        if (stream.data.length < edit.width) break;
        const data = Uint8Array.from(stream.data);
        const cells = Math.floor(data.length / 2);
        writeLe(data, (edit.at % cells) * 2, edit.value, edit.width);
        stream.data = data;
        break;
      }
      case 'stream': {
        const stream = streams[edit.stream % streams.length];
        stream.data = applyByteEdits(stream.data, edit.edits);
        break;
      }
      case 'summary': {
        const summary = named(SUMMARY);
        if (summary) summary.data = edit.propertySet;
        else root.children.push({ ...streams[0], name: SUMMARY, kind: 'stream', data: edit.propertySet, children: [] });
        break;
      }
      case 'rename':
        streams[edit.stream % streams.length].name = edit.to;
        break;
      case 'remove':
        root.children = root.children.filter((child) => child !== streams[edit.stream % streams.length]);
        break;
      case 'toStorage': {
        const node = streams[edit.stream % streams.length];
        node.kind = node.kind === 'stream' ? 'storage' : 'stream';
        node.children = [];
        if (node.kind === 'storage') node.data = new Uint8Array(0);
        break;
      }
      case 'rootClsid':
        root.clsid = edit.value;
        break;
    }
  }
}

const contentDamage = (seeds: PackageSeed[]): fc.Arbitrary<PackageInput> =>
  fc
    .record({
      seed: fc.constantFrom(...rewritten(seeds)),
      edits: fc.array(contentEdit, { minLength: 1, maxLength: 4 }),
      version: fc.constantFrom(3 as const, 3 as const, 4 as const),
    })
    .map(({ seed, edits, version }) => {
      const tree = cloneTree(seed.tree!);
      applyContentEdits(tree, edits);
      return { bytes: writeCfb(tree, seed.version === 4 ? 4 : version).bytes };
    });

/** A signed package with bytes of one signed stream flipped in place: its signature must fail. */
const tampering = (seeds: PackageSeed[]): fc.Arbitrary<PackageInput> => {
  const signed = rewritten(seeds).filter((seed) => seed.signed);
  return fc
    .record({ seed: fc.constantFrom(...signed), stream: fc.nat(), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }), count: fc.integer({ min: 1, max: 3 }) })
    .map(({ seed, stream, at, xor, count }) => {
      const { bytes, layout } = writeCfb(seed.tree!, seed.version);
      // Every stream is signed except the two signature streams at the root.
      const signedIds = layout.nodes
        .map((node, id) => ({ node, id }))
        .filter(({ node, id }) => node.kind === 'stream' && node.data.length > 0 && !(layout.nodes[0].children.includes(node) && (node.name === SIGNATURE || node.name === PREHASH)) && layout.dataRanges[id].length > 0)
        .map(({ id }) => id);
      const ranges = layout.dataRanges[signedIds[stream % signedIds.length]];
      const flat = ranges.flatMap(([offset, length]) => Array.from({ length }, (_, i) => offset + i));
      const out = Uint8Array.from(bytes);
      for (let i = 0; i < count; i++) out[flat[(at + i * 7919) % flat.length]] ^= xor;
      return { bytes: out, tampered: true };
    });
};

// ---- Checks ----------------------------------------------------------------------------------

const NOW = new Date('2026-06-01T00:00:00Z');

/**
 * A byte source over the input (zeros past its bytes up to `size`) that counts what is read:
 * damage must not make the reader read more than the file holds, nor read what a size claims.
 */
function countingSource(bytes: Uint8Array, size = bytes.length): ByteSource & { readBytes: number } {
  const inner = bufferByteSource(bytes);
  const source = {
    size: Math.max(size, bytes.length),
    readBytes: 0,
    read(offset: number, length: number): Uint8Array {
      invariant(Number.isSafeInteger(offset) && offset >= 0 && Number.isSafeInteger(length) && length >= 0, `a read at ${offset} of ${length} bytes`);
      const wanted = Math.max(0, Math.min(length, source.size - offset));
      const chunk = new Uint8Array(wanted);
      chunk.set(inner.read(offset, wanted));
      source.readBytes += chunk.length;
      return chunk;
    },
    close: () => undefined,
  };
  return source;
}

function unreadable(error: unknown, where: string): void {
  if (!(error instanceof UnreadablePackageError)) throw error;
  assertNoLeakedBug(error.message, where);
}

export function checkPackage(input: PackageInput): void {
  const source = countingSource(input.bytes, input.size);
  let file: CompoundFile;
  try {
    file = openCompoundFile(source);
  } catch (error) {
    unreadable(error, 'opening the compound file');
    return;
  }
  // Every stream, whole and in chunks: the size it claims, or an UnreadablePackageError.
  const entries: CfbEntry[] = [];
  for (const stack = [file.root]; stack.length > 0;) {
    const entry = stack.pop()!;
    entries.push(entry);
    stack.push(...entry.children);
    file.describe(entry);
  }
  for (const entry of entries) {
    if (entry.kind !== 'stream') continue;
    try {
      const bytes = file.readStream(entry);
      invariant(bytes.length === entry.size, `${file.describe(entry)}: readStream gave ${bytes.length} bytes of ${entry.size}`);
      let total = 0;
      for (const chunk of file.streamChunks(entry)) total += chunk.length;
      invariant(total === entry.size, `${file.describe(entry)}: streamChunks gave ${total} bytes of ${entry.size}`);
    } catch (error) {
      unreadable(error, `reading ${file.describe(entry)}`);
    }
  }
  listPackageStreams(file);
  let database;
  try {
    database = readMsiDatabase(file, '/fuzz/package.msp');
  } catch (error) {
    unreadable(error, 'reading the database');
  }
  const signature = verifyPackageSignature(file);
  for (const problem of signature.problems) assertNoLeakedBug(problem, 'signature');
  if (input.tampered) invariant(signature.state !== 'valid', 'a signed stream was changed, but the signature is reported valid');
  if (database) {
    for (const table of database.tables.values()) {
      for (const row of table.rows) invariant(row.cells.length === table.columns.length, `${table.name}: a row of ${row.cells.length} cells in a ${table.columns.length}-column table`);
    }
    const model = buildDatabaseModel(database, signature);
    inspectDatabase(model, new Map(), NOW, { maxRows: 5 });
  }
  // Every stream read a few times over (streams, database, digest), never the sizes it claims;
  // of a grown file, the FAT it needs (4 bytes per sector) on top.
  const fatBytes = input.size ? input.size / 128 : 0;
  invariant(source.readBytes <= 8 * input.bytes.length + fatBytes + 65536, `read ${source.readBytes} bytes of a file of ${source.size} (${input.bytes.length} of them not zeros)`);
}

/** The package file, and input.json when it is tampered with or grown (`size`: zeros follow the file's bytes). */
export function packageFiles(input: PackageInput): InputFiles {
  const files: InputFiles = new Map([['package.msp', input.bytes]]);
  const options = { ...(input.tampered ? { tampered: true } : {}), ...(input.size ? { size: input.size } : {}) };
  if (Object.keys(options).length > 0) files.set('input.json', Buffer.from(`${JSON.stringify(options)}\n`));
  return files;
}

export function packageFromFiles(files: InputFiles): PackageInput {
  const name = [...files.keys()].find((key) => /\.(msi|msp|mst)$/i.test(key));
  const options = files.has('input.json') ? (JSON.parse(Buffer.from(files.get('input.json')!).toString('utf8')) as { tampered?: boolean; size?: number }) : {};
  return { bytes: name ? files.get(name)! : new Uint8Array(0), ...(options.tampered ? { tampered: true } : {}), ...(options.size ? { size: options.size } : {}) };
}

export const cfbTarget: FuzzTarget<PackageInput> = {
  name: 'cfb',
  summary: 'packages with a damaged container: header, FAT, DIFAT, mini FAT, directory, chains, length',
  seeds: () => packageSeeds().map((seed) => ({ bytes: seed.bytes })),
  arbitrary: (corpus) =>
    fc.oneof(
      { weight: 6, arbitrary: containerDamage(packageSeeds()) },
      { weight: 1, arbitrary: grownFile(packageSeeds()) },
      { weight: 4, arbitrary: rawDamage(corpus.entries) },
    ),
  check: checkPackage,
  toFiles: packageFiles,
  fromFiles: packageFromFiles,
};

export const msiTarget: FuzzTarget<PackageInput> = {
  name: 'msi',
  summary: 'packages with damaged content: string pool, tables, summary information, stream names; tampered signed streams',
  seeds: () => packageSeeds().filter((seed) => seed.tree).map((seed) => ({ bytes: seed.bytes })),
  arbitrary: (corpus) =>
    fc.oneof(
      { weight: 5, arbitrary: contentDamage(packageSeeds()) },
      { weight: 1, arbitrary: tampering(packageSeeds()) },
      { weight: 1, arbitrary: rawDamage(corpus.entries) },
    ),
  check: checkPackage,
  toFiles: packageFiles,
  fromFiles: packageFromFiles,
};

