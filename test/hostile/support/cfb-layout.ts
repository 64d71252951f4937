// Where the fields of a compound file lie, read from its own header and directory, so a test can
// damage one field of a real package (test/fixtures/packages) at a documented place.
//
// Layout ([MS-CFB] 2.2 and 2.6, and /work notes on MSI): the header is the first sector; sector n
// starts at (n + 1) * sectorSize.
//   header  30 sector shift (9: 512-byte sectors, 12: 4096)   44 number of FAT sectors
//           48 first directory sector   60 first mini FAT sector   68 first DIFAT sector
//           72 number of DIFAT sectors  76 the first 109 FAT sector numbers (DIFAT)
//   entry   128 bytes: 0 UTF-16 name, 64 name length in bytes, 66 type (1 storage, 2 stream,
//           5 root), 68 left sibling, 72 right sibling, 76 child, 80 CLSID, 116 first sector,
//           120 size (8 bytes; version 3 readers use the low 4)
//   FAT     one 4-byte next-sector number per sector; 0xFFFFFFFE ends a chain, 0xFFFFFFFF is free
//   streams under 4096 bytes live in the mini stream (the root entry's chain) in 64-byte mini
//   sectors, chained by the mini FAT.
import { bufferByteSource } from '../../../server/src/engine/package/byte-source';
import { openCompoundFile } from '../../../server/src/engine/package/cfb';
import { decodeMsiStreamName } from '../../../server/src/engine/package/msi-names';

export const END_OF_CHAIN = 0xfffffffe;
export const FREE_SECTOR = 0xffffffff;
export const FAT_SECTOR = 0xfffffffd;
export const DIFAT_SECTOR = 0xfffffffc;
export const ENTRY = { nameLength: 64, type: 66, left: 68, right: 72, child: 76, start: 116, size: 120, sizeHigh: 124 } as const;

export class Layout {
  readonly sectorSize: number;

  constructor(readonly bytes: Buffer) {
    this.sectorSize = 1 << bytes.readUInt16LE(30);
  }

  sectorOffset(sector: number): number {
    return (sector + 1) * this.sectorSize;
  }

  /** Where the FAT entry of `sector` is (the packages here have fewer than 109 FAT sectors). */
  fatEntryOffset(sector: number): number {
    const perSector = this.sectorSize / 4;
    const fatSector = this.bytes.readUInt32LE(76 + Math.floor(sector / perSector) * 4);
    return this.sectorOffset(fatSector) + (sector % perSector) * 4;
  }

  next(sector: number): number {
    return this.bytes.readUInt32LE(this.fatEntryOffset(sector));
  }

  /** The sectors of a chain, in order. */
  chain(start: number): number[] {
    const sectors: number[] = [];
    for (let sector = start; sector !== END_OF_CHAIN; sector = this.next(sector)) sectors.push(sector);
    return sectors;
  }

  /** Where the mini FAT entry of `miniSector` is (the packages here have a one-sector mini FAT). */
  miniFatEntryOffset(miniSector: number): number {
    return this.sectorOffset(this.bytes.readUInt32LE(60)) + miniSector * 4;
  }

  /** Offsets of every directory entry, in entry order. */
  entryOffsets(): number[] {
    const perSector = this.sectorSize / 128;
    return this.chain(this.bytes.readUInt32LE(48)).flatMap((sector) => Array.from({ length: perSector }, (_, slot) => this.sectorOffset(sector) + slot * 128));
  }

  /** The directory entry of a stream by its unpacked name ('Property', '_StringData', '\u0005DigitalSignature'), or 'Root Entry'. */
  entryOffset(name: string): number {
    for (const offset of this.entryOffsets()) {
      const stored = this.bytes.toString('utf16le', offset, offset + Math.max(0, this.bytes.readUInt16LE(offset + ENTRY.nameLength) - 2));
      if (decodeMsiStreamName(stored).name === name) return offset;
    }
    throw new Error(`no directory entry ${JSON.stringify(name)}`);
  }

  entryIndex(name: string): number {
    return this.entryOffsets().indexOf(this.entryOffset(name));
  }

  field(name: string, field: keyof typeof ENTRY): number {
    return this.bytes.readUInt32LE(this.entryOffset(name) + ENTRY[field]);
  }

  setField(name: string, field: keyof typeof ENTRY, value: number): this {
    this.bytes.writeUInt32LE(value, this.entryOffset(name) + ENTRY[field]);
    return this;
  }
}

/**
 * Replaces the content of a stream held in the mini stream with `content` of the same length, in
 * place: mini sector k of the mini stream is at byte 64k of the root entry's chain.
 */
export function rewriteMiniStream(layout: Layout, name: string, content: Uint8Array): void {
  const size = layout.field(name, 'size');
  if (content.length !== size || size >= 4096) throw new Error(`${name}: ${content.length} bytes for a ${size}-byte mini stream`);
  const container = layout.chain(layout.field('Root Entry', 'start'));
  const miniSectors: number[] = [];
  for (let mini = layout.field(name, 'start'); mini !== END_OF_CHAIN; mini = layout.bytes.readUInt32LE(layout.miniFatEntryOffset(mini))) miniSectors.push(mini);
  miniSectors.forEach((mini, index) => {
    const at = mini * 64;
    const fileOffset = layout.sectorOffset(container[Math.floor(at / layout.sectorSize)]) + (at % layout.sectorSize);
    Buffer.from(content.subarray(index * 64, Math.min(size, (index + 1) * 64))).copy(layout.bytes, fileOffset);
  });
}

/**
 * A version 3 package grown to `fileSize` bytes, with `stream` moved out of the mini stream into
 * a whole chain of new sectors holding `size` bytes: its content, then zeros (never written: the
 * file is sparse).
 * Every structure is sound (FAT and DIFAT cover every sector, chains end where they should), so
 * the size claims nothing the file does not have: only a limit of the reader's own stops it.
 * Returns the regions to write; everything else is a hole.
 */
export function wholeChainPackage(original: Buffer, stream: string, size: number, fileSize: number): { writes: { offset: number; bytes: Buffer }[]; fileSize: number } {
  const bytes = Buffer.from(original);
  const layout = new Layout(bytes);
  const file = openCompoundFile(bufferByteSource(original));
  const content = Buffer.from(file.readStream(file.root.children.find((entry) => decodeMsiStreamName(entry.name).name === stream)!));
  if (layout.sectorSize !== 512) throw new Error('a version 3 package is needed');
  const perFatSector = 128;
  const originalSectors = bytes.length / 512 - 1;
  const dataSectors = Math.ceil(size / 512);
  const totalSectors = Math.ceil(fileSize / 512) - 1;
  const fatCount = Math.ceil(totalSectors / perFatSector);
  const difatCount = Math.ceil(Math.max(0, fatCount - 109) / (perFatSector - 1));
  // New sectors: the stream's data, then the FAT, then the DIFAT, then the hole up to fileSize.
  const dataStart = originalSectors;
  const fatStart = dataStart + dataSectors;
  const difatStart = fatStart + fatCount;
  if (difatStart + difatCount > totalSectors) throw new Error('the file is too small for the stream');

  // While the header still places the directory through the old FAT.
  layout.setField(stream, 'start', dataStart).setField(stream, 'size', size);

  const fat = Buffer.alloc(fatCount * 512, 0xff);
  const setNext = (sector: number, next: number): void => void fat.writeUInt32LE(next >>> 0, sector * 4);
  const oldFat = (sector: number): number => layout.next(sector);
  for (let sector = 0; sector < originalSectors; sector++) setNext(sector, oldFat(sector) === FAT_SECTOR ? FREE_SECTOR : oldFat(sector));
  for (let index = 0; index < dataSectors; index++) setNext(dataStart + index, index === dataSectors - 1 ? END_OF_CHAIN : dataStart + index + 1);
  for (let index = 0; index < fatCount; index++) setNext(fatStart + index, FAT_SECTOR);
  for (let index = 0; index < difatCount; index++) setNext(difatStart + index, DIFAT_SECTOR);

  const difat = Buffer.alloc(difatCount * 512, 0xff);
  for (let index = 109; index < fatCount; index++) {
    const slot = index - 109;
    const sector = Math.floor(slot / (perFatSector - 1));
    difat.writeUInt32LE(fatStart + index, sector * 512 + (slot % (perFatSector - 1)) * 4);
  }
  for (let sector = 0; sector < difatCount; sector++) difat.writeUInt32LE(sector === difatCount - 1 ? END_OF_CHAIN : difatStart + sector + 1, sector * 512 + 508);

  bytes.writeUInt32LE(fatCount, 44);
  bytes.writeUInt32LE(difatCount ? difatStart : END_OF_CHAIN, 68);
  bytes.writeUInt32LE(difatCount, 72);
  for (let index = 0; index < 109; index++) bytes.writeUInt32LE(index < fatCount ? fatStart + index : FREE_SECTOR, 76 + index * 4);
  return {
    writes: [
      { offset: 0, bytes },
      { offset: (dataStart + 1) * 512, bytes: content },
      { offset: (fatStart + 1) * 512, bytes: fat },
      { offset: (difatStart + 1) * 512, bytes: difat },
    ],
    fileSize,
  };
}
