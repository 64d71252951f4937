// Compound File Binary (OLE structured storage) reader: the container of .msi, .msp and .mst.
// Our own rather than the `cfb` package, which needs the whole file in memory and hides the raw
// metadata the signature digest hashes (measurements in docs/architecture.md, "Compound files").
//
// Everything a file claims is checked against the file before it is used: sector ids against
// the sectors the file has, sizes against the file size, chains for loops and early ends, the
// directory tree for cycles. Streams are read sector run by sector run, so hashing a 500 MB
// package never holds it.
import * as l10n from '@vscode/l10n';
import type { ByteSource } from './byte-source';
import { byteCount } from '../l10n';
import { displayStreamName } from './msi-names';

/** A package that cannot be read, with the reason shown to the user ("truncated: …"). */
export class UnreadablePackageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadablePackageError';
  }
}

export interface CfbEntry {
  /** The name as stored (UTF-16), before any MSI unpacking. */
  name: string;
  /** Raw UTF-16LE name bytes, without the two-byte terminator. */
  nameBytes: Uint8Array;
  kind: 'root' | 'storage' | 'stream';
  /** 16 raw CLSID bytes. */
  clsid: Uint8Array;
  stateBits: number;
  /** 8 raw FILETIME bytes each. */
  created: Uint8Array;
  modified: Uint8Array;
  /** Stream size in bytes (for the root: the mini stream's size). */
  size: number;
  /** Direct children of a root or storage (any order); empty for streams. */
  children: CfbEntry[];
}

export interface CompoundFile {
  root: CfbEntry;
  /** 3 (512-byte sectors) or 4 (4096-byte sectors). */
  majorVersion: number;
  /** A whole stream; throws UnreadablePackageError when it is larger than `limit` bytes or its chain is broken. */
  readStream(entry: CfbEntry, limit?: number): Uint8Array;
  /** The stream's bytes in order, in chunks, never holding the whole stream. */
  streamChunks(entry: CfbEntry): Iterable<Uint8Array>;
  /** A root-level child by name, e.g. "\u0005DigitalSignature". */
  rootChild(name: string): CfbEntry | undefined;
  /** The entry's path for messages, unpacked: "Binary.Icon", "storage/stream". */
  describe(entry: CfbEntry): string;
}

const SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const HEADER_SIZE = 512;
const HEADER_DIFAT_ENTRIES = 109;
const MAX_REGULAR_SECTOR = 0xfffffffa;
const DIFAT_SECTOR = 0xfffffffc;
const FAT_SECTOR = 0xfffffffd;
const END_OF_CHAIN = 0xfffffffe;
const FREE_SECTOR = 0xffffffff;
const NO_STREAM = 0xffffffff;
const MINI_SECTOR_SIZE = 64;
const MINI_STREAM_CUTOFF = 4096;
const DIRECTORY_ENTRY_SIZE = 128;
/** Far more than any installer holds (each table and binary cell is one entry); caps the directory read at 12.8 MB. */
export const MAX_DIRECTORY_ENTRIES = 100_000;
/** Stream reads are coalesced into runs of contiguous sectors up to this size. */
const MAX_READ = 1 << 20;

const ENTRY_UNUSED = 0;
const ENTRY_STORAGE = 1;
const ENTRY_STREAM = 2;
const ENTRY_ROOT = 5;

export function openCompoundFile(source: ByteSource): CompoundFile {
  return new CompoundFileReader(source);
}

/** "{000C1084-0000-0000-C000-000000000046}" from 16 raw CLSID bytes. */
export function formatClsid(bytes: Uint8Array): string {
  const hex = (from: number, to: number, reversed: boolean): string => {
    const part = Array.from(bytes.subarray(from, to), (byte) => byte.toString(16).padStart(2, '0'));
    return (reversed ? part.reverse() : part).join('').toUpperCase();
  };
  return `{${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}}`;
}

function u16(bytes: Uint8Array, offset: number): number {
  return bytes[offset] | (bytes[offset + 1] << 8);
}

function u32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24)) >>> 0;
}

function fail(message: string): never {
  throw new UnreadablePackageError(message);
}

function sectorName(id: number): string {
  switch (id) {
    case FREE_SECTOR:
      return l10n.t('a free sector');
    case END_OF_CHAIN:
      return l10n.t('the end-of-chain mark');
    case FAT_SECTOR:
      return l10n.t('a FAT sector');
    case DIFAT_SECTOR:
      return l10n.t('a DIFAT sector');
    default:
      return l10n.t('sector {0}', id);
  }
}

/** A run of `count` sectors that follow each other in the file, starting at sector `first`. */
interface SectorRun {
  first: number;
  count: number;
}

class CompoundFileReader implements CompoundFile {
  readonly root: CfbEntry;
  readonly majorVersion: number;
  private readonly fileSize: number;
  private readonly sectorShift: number;
  private readonly sectorSize: number;
  /** Sectors that start inside the file; a valid sector id is below this. */
  private readonly sectorCount: number;
  private readonly fat: Uint32Array;
  private readonly firstMiniFatSector: number;
  private readonly paths = new Map<CfbEntry, string>();
  private readonly rootChildren = new Map<string, CfbEntry>();
  /** First sector of each stream (kept out of the entries callers see). */
  private readonly startSectors = new Map<CfbEntry, number>();
  /** Sizes a number cannot hold exactly, for messages. */
  private readonly unsafeSizes = new Map<CfbEntry, bigint>();
  private miniStreamStart = END_OF_CHAIN;
  /** Loaded on the first read of a mini stream. */
  private miniFat: Uint32Array | undefined;
  private miniStreamSectors: Uint32Array | undefined;
  /** Loop detection: a sector visited by the current chain walk carries the walk's stamp. */
  private visitStamps: Uint32Array | undefined;
  private miniVisitStamps: Uint32Array | undefined;
  private walkStamp = 0;

  constructor(private readonly source: ByteSource) {
    this.fileSize = source.size;
    if (this.fileSize < HEADER_SIZE) {
      fail(
        this.fileSize === 0
          ? l10n.t('not a compound file: the file is empty')
          : l10n.t('not a compound file: the file is {0}, shorter than a compound file header (512 bytes)', byteCount(this.fileSize)),
      );
    }
    const header = source.read(0, HEADER_SIZE);
    if (header.length < HEADER_SIZE) fail(l10n.t("truncated: only {0} of the file's {1} bytes could be read", header.length, this.fileSize));
    if (SIGNATURE.some((byte, index) => header[index] !== byte)) {
      fail(l10n.t('not a compound file: the file does not start with the compound file signature {0}', 'D0 CF 11 E0 A1 B1 1A E1'));
    }
    this.majorVersion = u16(header, 26);
    const byteOrder = u16(header, 28);
    this.sectorShift = u16(header, 30);
    const miniSectorShift = u16(header, 32);
    const miniStreamCutoff = u32(header, 56);
    if (this.majorVersion !== 3 && this.majorVersion !== 4) {
      fail(l10n.t('unsupported compound file version {0} (only versions 3 and 4 exist)', this.majorVersion));
    }
    if (byteOrder !== 0xfffe) fail(l10n.t('corrupt header: byte order mark {0} instead of {1}', `0x${byteOrder.toString(16)}`, '0xfffe'));
    const expectedShift = this.majorVersion === 3 ? 9 : 12;
    if (this.sectorShift !== expectedShift) {
      fail(l10n.t('corrupt header: sector shift {0} in a version {1} file (must be {2})', this.sectorShift, this.majorVersion, expectedShift));
    }
    if (miniSectorShift !== 6) fail(l10n.t('corrupt header: mini sector shift {0} (must be 6)', miniSectorShift));
    if (miniStreamCutoff !== MINI_STREAM_CUTOFF) fail(l10n.t('corrupt header: mini stream cutoff {0} (must be 4096)', miniStreamCutoff));
    this.sectorSize = 1 << this.sectorShift;
    if (this.fileSize < this.sectorSize) {
      fail(l10n.t('truncated: the file is {0} bytes, shorter than its {1}-byte header sector', this.fileSize, this.sectorSize));
    }
    this.sectorCount = Math.ceil((this.fileSize - this.sectorSize) / this.sectorSize);

    this.fat = this.readFat(header);
    this.firstMiniFatSector = u32(header, 60);

    const firstDirectorySector = u32(header, 48);
    if (firstDirectorySector >= this.sectorCount) {
      fail(
        firstDirectorySector > MAX_REGULAR_SECTOR
          ? l10n.t('corrupt header: the directory starts at {0}', sectorName(firstDirectorySector))
          : l10n.t('truncated: the file is {0} bytes but its header places the directory at sector {1}', this.fileSize, firstDirectorySector),
      );
    }
    const directory = this.readDirectory(firstDirectorySector);
    this.root = this.buildTree(directory);
    for (const child of this.root.children) {
      if (!this.rootChildren.has(child.name)) this.rootChildren.set(child.name, child);
    }
  }

  rootChild(name: string): CfbEntry | undefined {
    return this.rootChildren.get(name);
  }

  describe(entry: CfbEntry): string {
    return this.paths.get(entry) ?? displayStreamName(entry.name);
  }

  readStream(entry: CfbEntry, limit = Number.MAX_SAFE_INTEGER): Uint8Array {
    if (entry.kind !== 'stream') fail(l10n.t('{0} is a storage, not a stream', this.describe(entry)));
    if (entry.size > limit) fail(l10n.t('stream {0} is {1} bytes, more than the {2} bytes allowed', this.describe(entry), entry.size, limit));
    // Sizes were checked against the file size when the directory was read.
    const bytes = new Uint8Array(entry.size);
    let filled = 0;
    for (const chunk of this.streamChunks(entry)) {
      bytes.set(chunk, filled);
      filled += chunk.length;
    }
    return bytes;
  }

  *streamChunks(entry: CfbEntry): Iterable<Uint8Array> {
    if (entry.kind !== 'stream') fail(l10n.t('{0} is a storage, not a stream', this.describe(entry)));
    if (entry.size === 0) return;
    const start = this.startSectors.get(entry) ?? END_OF_CHAIN;
    if (entry.size < MINI_STREAM_CUTOFF) {
      yield this.readMiniStream(entry, start);
      return;
    }
    let remaining = entry.size;
    for (const run of this.chainRuns(start, Math.ceil(entry.size / this.sectorSize), () => l10n.t('stream {0}', this.describe(entry)))) {
      const offset = (run.first + 1) * this.sectorSize;
      const length = Math.min(remaining, run.count * this.sectorSize);
      const bytes = this.source.read(offset, length);
      if (bytes.length < length) {
        fail(l10n.t('truncated: stream {0} continues past the end of the file ({1} bytes)', this.describe(entry), this.fileSize));
      }
      remaining -= length;
      yield bytes;
    }
  }

  // ---- FAT --------------------------------------------------------------------------------

  private readFat(header: Uint8Array): Uint32Array {
    const claimedFatSectors = u32(header, 44);
    if (claimedFatSectors > this.sectorCount) {
      fail(l10n.t('corrupt header: it claims {0} FAT sectors; the file has {1} sectors in all', claimedFatSectors, this.sectorCount));
    }
    // FAT entries past the end of the file can never be used: read only the FAT sectors that
    // describe sectors the file has, so a lying header cannot make us allocate more.
    const entriesPerSector = this.sectorSize / 4;
    const neededFatSectors = Math.min(claimedFatSectors, Math.ceil(this.sectorCount / entriesPerSector));
    const fatSectors: number[] = [];
    for (let index = 0; index < HEADER_DIFAT_ENTRIES && fatSectors.length < neededFatSectors; index++) {
      fatSectors.push(u32(header, 76 + index * 4));
    }
    if (fatSectors.length < neededFatSectors) this.readDifat(header, fatSectors, neededFatSectors);

    const fat = new Uint32Array(neededFatSectors * entriesPerSector);
    fatSectors.forEach((sector, index) => {
      if (sector >= this.sectorCount) {
        fail(
          sector > MAX_REGULAR_SECTOR
            ? l10n.t('corrupt header: FAT sector {0} is {1}', index, sectorName(sector))
            : l10n.t('truncated: the file is {0} bytes but its header places FAT sector {1} at sector {2}', this.fileSize, index, sector),
        );
      }
      const bytes = this.readSectorBytes(sector, this.sectorSize, () => l10n.t('FAT sector {0}', index));
      for (let entry = 0; entry < entriesPerSector; entry++) fat[index * entriesPerSector + entry] = u32(bytes, entry * 4);
    });
    return fat;
  }

  private readDifat(header: Uint8Array, fatSectors: number[], needed: number): void {
    const entriesPerSector = this.sectorSize / 4 - 1;
    const claimedDifatSectors = u32(header, 72);
    const seen = new Set<number>();
    let sector = u32(header, 68);
    while (fatSectors.length < needed) {
      if (seen.size >= claimedDifatSectors) {
        fail(l10n.t('corrupt header: {0} FAT sectors need more than the {1} DIFAT sectors it claims', needed, claimedDifatSectors));
      }
      if (sector >= this.sectorCount) {
        fail(
          sector > MAX_REGULAR_SECTOR
            ? l10n.t('corrupt DIFAT: the chain of FAT sector locations ends at {0} after {1} of {2} FAT sectors', sectorName(sector), fatSectors.length, needed)
            : l10n.t('truncated: the file is {0} bytes but its DIFAT continues at sector {1}', this.fileSize, sector),
        );
      }
      if (seen.has(sector)) fail(l10n.t('sector chain loop in {0} (sector {1} comes back)', l10n.t('the DIFAT'), sector));
      seen.add(sector);
      const bytes = this.readSectorBytes(sector, this.sectorSize, () => l10n.t('the DIFAT'));
      for (let index = 0; index < entriesPerSector && fatSectors.length < needed; index++) fatSectors.push(u32(bytes, index * 4));
      sector = u32(bytes, entriesPerSector * 4);
    }
  }

  private readSectorBytes(sector: number, length: number, what: () => string): Uint8Array {
    const bytes = this.source.read((sector + 1) * this.sectorSize, length);
    if (bytes.length < length) fail(l10n.t('truncated: {0} at sector {1} runs past the end of the file ({2} bytes)', what(), sector, this.fileSize));
    return bytes;
  }

  /**
   * The first `limit` sector ids of a chain; fewer when the end-of-chain mark comes first. Throws
   * on a loop or on an id that is not a sector of the file. A chain that goes on after `limit`
   * sectors (a stream's chain longer than its size) is followed to its end for the same checks
   * when `checkTail` is set: a loop there means a corrupt file even though no byte of it is read.
   */
  private *chain(start: number, limit: number, what: () => string, checkTail: boolean): Generator<number> {
    const stamps = (this.visitStamps ??= new Uint32Array(this.sectorCount));
    const stamp = this.nextStamp();
    let sector = start;
    for (let index = 0; sector !== END_OF_CHAIN; index++) {
      if (index >= limit && !checkTail) return;
      if (sector >= this.sectorCount) {
        fail(
          sector > MAX_REGULAR_SECTOR
            ? l10n.t('{0} is corrupt: its sector chain runs into {1} after {2} sectors', what(), sectorName(sector), index)
            : l10n.t('{0} is corrupt or truncated: its sector chain points at sector {1}; the file has {2} sectors ({3} bytes)', what(), sector, this.sectorCount, this.fileSize),
        );
      }
      if (stamps[sector] === stamp) fail(l10n.t('sector chain loop in {0} (sector {1} comes back)', what(), sector));
      stamps[sector] = stamp;
      if (index < limit) yield sector;
      if (sector >= this.fat.length) fail(l10n.t('{0} is corrupt: sector {1} is not covered by the FAT', what(), sector));
      sector = this.fat[sector];
    }
  }

  /** A chain's sectors as runs of neighbours (each at most MAX_READ bytes); exactly `wanted` sectors. */
  private *chainRuns(start: number, wanted: number, what: () => string): Generator<SectorRun> {
    const maxRunSectors = Math.max(1, MAX_READ / this.sectorSize);
    let run: SectorRun | undefined;
    let seen = 0;
    for (const sector of this.chain(start, wanted, what, true)) {
      seen++;
      if (run && run.first + run.count === sector && run.count < maxRunSectors) {
        run.count++;
        continue;
      }
      if (run) yield run;
      run = { first: sector, count: 1 };
    }
    if (seen < wanted) fail(l10n.t('{0} is cut short: its sector chain ends after {1} of {2} sectors', what(), seen, wanted));
    if (run) yield run;
  }

  /** The chain's first `wanted` sector ids (for the directory, the mini FAT and the mini stream). */
  private chainSectors(start: number, wanted: number, what: () => string): Uint32Array {
    const sectors = new Uint32Array(wanted);
    let filled = 0;
    for (const run of this.chainRuns(start, wanted, what)) {
      for (let index = 0; index < run.count; index++) sectors[filled++] = run.first + index;
    }
    return sectors;
  }

  /** Sectors in a chain, counting at most `limit + 1` (so "more than limit" is visible). */
  private chainLength(start: number, limit: number, what: () => string): number {
    let length = 0;
    for (const _sector of this.chain(start, limit + 1, what, false)) length++;
    return length;
  }

  private nextStamp(): number {
    this.walkStamp++;
    if (this.walkStamp === 0xffffffff) {
      this.walkStamp = 1;
      this.visitStamps?.fill(0);
      this.miniVisitStamps?.fill(0);
    }
    return this.walkStamp;
  }

  /** Reads a list of sectors, coalescing neighbours. */
  private readSectors(sectors: Uint32Array, what: () => string): Uint8Array {
    const bytes = new Uint8Array(sectors.length * this.sectorSize);
    let index = 0;
    while (index < sectors.length) {
      let count = 1;
      while (index + count < sectors.length && sectors[index + count] === sectors[index] + count && count * this.sectorSize < MAX_READ) count++;
      const chunk = this.source.read((sectors[index] + 1) * this.sectorSize, count * this.sectorSize);
      if (chunk.length < count * this.sectorSize) {
        fail(l10n.t('truncated: {0} at sector {1} runs past the end of the file ({2} bytes)', what(), sectors[index], this.fileSize));
      }
      bytes.set(chunk, index * this.sectorSize);
      index += count;
    }
    return bytes;
  }

  // ---- Directory --------------------------------------------------------------------------

  private readDirectory(firstSector: number): Uint8Array {
    const maxSectors = Math.ceil((MAX_DIRECTORY_ENTRIES * DIRECTORY_ENTRY_SIZE) / this.sectorSize);
    const what = (): string => l10n.t('the directory');
    const length = this.chainLength(firstSector, maxSectors, what);
    if (length > maxSectors) fail(l10n.t('the directory has more than {0} entries', MAX_DIRECTORY_ENTRIES));
    return this.readSectors(this.chainSectors(firstSector, length, what), what);
  }

  private buildTree(directory: Uint8Array): CfbEntry {
    const entryCount = directory.length / DIRECTORY_ENTRY_SIZE;
    const linked = new Uint8Array(entryCount);
    const rootEntry = this.parseEntry(directory, 0);
    if (directory[66] !== ENTRY_ROOT) fail(l10n.t('corrupt directory: entry 0 is not the root storage (type {0})', directory[66]));
    linked[0] = 1;
    this.paths.set(rootEntry, 'Root Entry');
    this.checkSize(rootEntry, () => l10n.t('the mini stream'));
    this.miniStreamStart = u32(directory, 116);

    const storages: Array<{ id: number; entry: CfbEntry }> = [{ id: 0, entry: rootEntry }];
    while (storages.length > 0) {
      const storage = storages.pop()!;
      const parentPath = storage.id === 0 ? '' : `${this.describe(storage.entry)}/`;
      // In-order walk of the storage's red-black tree; every entry may be linked once only.
      const pending: number[] = [];
      let id = u32(directory, storage.id * DIRECTORY_ENTRY_SIZE + 76);
      while (id !== NO_STREAM || pending.length > 0) {
        while (id !== NO_STREAM) {
          if (id >= entryCount) {
            fail(l10n.t('corrupt directory: {0} links to entry {1}; the directory has {2} entries', this.describe(storage.entry), id, entryCount));
          }
          if (linked[id]) fail(l10n.t('directory cycle: entry {0} is linked into the tree twice', id));
          linked[id] = 1;
          pending.push(id);
          id = u32(directory, id * DIRECTORY_ENTRY_SIZE + 68);
        }
        const childId = pending.pop()!;
        const child = this.parseEntry(directory, childId);
        this.paths.set(child, parentPath + displayStreamName(child.name));
        storage.entry.children.push(child);
        if (child.kind === 'storage') storages.push({ id: childId, entry: child });
        else this.checkSize(child, () => l10n.t('stream {0}', this.describe(child)));
        id = u32(directory, childId * DIRECTORY_ENTRY_SIZE + 72);
      }
    }
    return rootEntry;
  }

  private parseEntry(directory: Uint8Array, id: number): CfbEntry {
    const offset = id * DIRECTORY_ENTRY_SIZE;
    const type = directory[offset + 66];
    const kind = type === ENTRY_ROOT ? 'root' : type === ENTRY_STORAGE ? 'storage' : type === ENTRY_STREAM ? 'stream' : undefined;
    if (kind === undefined || (kind === 'root' && id !== 0)) {
      fail(
        type === ENTRY_UNUSED
          ? l10n.t('corrupt directory: entry {0} is unused but linked into the tree', id)
          : l10n.t('corrupt directory: entry {0} has type {1}', id, type),
      );
    }
    const nameLength = u16(directory, offset + 64);
    if (nameLength > 64 || nameLength % 2 !== 0) fail(l10n.t('corrupt directory: entry {0} has a name length of {1} bytes', id, nameLength));
    const nameBytes = directory.slice(offset, offset + Math.max(0, nameLength - 2));
    let name = '';
    for (let index = 0; index < nameBytes.length; index += 2) name += String.fromCharCode(u16(nameBytes, index));
    const low = u32(directory, offset + 120);
    const high = u32(directory, offset + 124);
    // Version 3 files may carry garbage in the high half (older writers left it uninitialised).
    const size = this.majorVersion === 3 ? low : high * 0x100000000 + low;
    const entry: CfbEntry = {
      name,
      nameBytes,
      kind,
      clsid: directory.slice(offset + 80, offset + 96),
      stateBits: u32(directory, offset + 96),
      created: directory.slice(offset + 100, offset + 108),
      modified: directory.slice(offset + 108, offset + 116),
      size: kind === 'storage' ? 0 : size,
      children: [],
    };
    if (kind === 'stream') this.startSectors.set(entry, u32(directory, offset + 116));
    // Past 2^53 a number rounds: a message quoting the size must show the one the file claims.
    if (size > Number.MAX_SAFE_INTEGER) this.unsafeSizes.set(entry, (BigInt(high) << 32n) + BigInt(low));
    return entry;
  }

  private checkSize(entry: CfbEntry, what: () => string): void {
    if (entry.size > this.fileSize) fail(l10n.t('{0} claims {1}; the file is {2}', what(), byteCount(this.unsafeSizes.get(entry) ?? entry.size), byteCount(this.fileSize)));
  }

  // ---- Mini stream ------------------------------------------------------------------------

  private readMiniStream(entry: CfbEntry, start: number): Uint8Array {
    const what = (): string => l10n.t('stream {0}', this.describe(entry));
    const { miniFat, miniStreamSectors } = this.loadMiniStream();
    const miniSectorCount = Math.min(miniFat.length, (miniStreamSectors.length * this.sectorSize) / MINI_SECTOR_SIZE);
    const stamps = (this.miniVisitStamps ??= new Uint32Array(miniFat.length));
    const stamp = this.nextStamp();
    const bytes = new Uint8Array(entry.size);
    const wanted = Math.ceil(entry.size / MINI_SECTOR_SIZE);
    let sector = start;
    let index = 0;
    // As with regular chains, a tail past the stream's size is followed to its end for loops.
    for (; sector !== END_OF_CHAIN; index++) {
      if (sector >= miniSectorCount) {
        fail(
          sector > MAX_REGULAR_SECTOR
            ? l10n.t('{0} is corrupt: its mini sector chain runs into {1} after {2} mini sectors', what(), sectorName(sector), index)
            : l10n.t('{0} is corrupt: its mini sector chain points at mini sector {1}; the mini stream has {2}', what(), sector, miniSectorCount),
        );
      }
      if (stamps[sector] === stamp) fail(l10n.t('sector chain loop in {0} (mini sector {1} comes back)', what(), sector));
      stamps[sector] = stamp;
      if (index < wanted) {
        const streamOffset = sector * MINI_SECTOR_SIZE;
        const fileSector = miniStreamSectors[Math.floor(streamOffset / this.sectorSize)];
        const length = Math.min(MINI_SECTOR_SIZE, entry.size - index * MINI_SECTOR_SIZE);
        const chunk = this.source.read((fileSector + 1) * this.sectorSize + (streamOffset % this.sectorSize), length);
        if (chunk.length < length) fail(l10n.t('truncated: {0} continues past the end of the file ({1} bytes)', what(), this.fileSize));
        bytes.set(chunk, index * MINI_SECTOR_SIZE);
      }
      sector = miniFat[sector];
    }
    if (index < wanted) fail(l10n.t('{0} is cut short: its mini sector chain ends after {1} of {2} mini sectors', what(), index, wanted));
    return bytes;
  }

  private loadMiniStream(): { miniFat: Uint32Array; miniStreamSectors: Uint32Array } {
    if (this.miniFat && this.miniStreamSectors) return { miniFat: this.miniFat, miniStreamSectors: this.miniStreamSectors };
    const miniStreamWhat = (): string => l10n.t('the mini stream');
    const miniStreamSectors = this.chainSectors(this.miniStreamStart, Math.ceil(this.root.size / this.sectorSize), miniStreamWhat);
    // The mini FAT needs one entry per mini sector of the mini stream, no more.
    const miniFatWhat = (): string => l10n.t('the mini FAT');
    const neededEntries = Math.ceil(this.root.size / MINI_SECTOR_SIZE);
    const neededSectors = Math.ceil((neededEntries * 4) / this.sectorSize);
    const available = this.chainLength(this.firstMiniFatSector, neededSectors, miniFatWhat);
    const sectors = this.chainSectors(this.firstMiniFatSector, Math.min(available, neededSectors), miniFatWhat);
    const bytes = this.readSectors(sectors, miniFatWhat);
    const miniFat = new Uint32Array(bytes.length / 4);
    for (let index = 0; index < miniFat.length; index++) miniFat[index] = u32(bytes, index * 4);
    this.miniFat = miniFat;
    this.miniStreamSectors = miniStreamSectors;
    return { miniFat, miniStreamSectors };
  }
}
